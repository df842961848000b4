package dev.keyline.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.HsmCaSigner;
import dev.keyline.ca.store.Pkcs11CaKeyStore;
import dev.keyline.hsm.HsmConfig;
import dev.keyline.hsm.HsmException;
import dev.keyline.hsm.HsmPin;
import dev.keyline.hsm.Pkcs11Token;
import dev.keyline.hsm.TokenDeviceKeys;
import dev.keyline.hsm.WrapMechanism;
import dev.keyline.hsm.WrappingKey;
import dev.keyline.error.InvalidSettingException;
import dev.keyline.keys.TokenKeyHandling;
import dev.keyline.keys.TokenKeyJournal;
import dev.keyline.keys.TokenKeySource;
import dev.keyline.x509.CertificateProfile;

/**
 * {@code --keys hsm}: opens the token device keys are made in and checks, before any key is made, what the profile
 * asks of it (the wrapping key exists, may wrap, and the token offers RFC 5649). The token is {@code --hsm FILE},
 * else the CA's own token when the CA key is in one. When both name the same configuration file the CA's open
 * token is reused: a second login would share its state, and logging one out would log out both.
 */
final class TokenKeySources {

    /** The key source, and the token it opened for it (empty: it uses the CA's, which the CA's owner closes). */
    record Opened(TokenKeySource source, Optional<Pkcs11Token> token) {
    }

    /** The output's record of the kept keys it made; see {@link TokenKeyJournal}. */
    static final String JOURNAL = ".keyline/token-keys";

    private TokenKeySources() {
    }

    static Opened open(RunRequest request, CertificateProfile profile, CertificateAuthority ca,
                               Map<String, String> env) {
        if (request.keyPool().isPresent()) {
            throw new InvalidSettingException("--key-pool", "--key-pool holds software keys: it cannot be used with --keys hsm");
        }
        if (request.pkcs12()) {
            throw new InvalidSettingException("--pkcs12", "--pkcs12 puts the private key into device.p12, but with --keys hsm the bundle never "
                    + "holds it in the clear: drop --pkcs12");
        }
        Optional<Path> caConfig = new CaFolder(request.ca()).keyStore() instanceof Pkcs11CaKeyStore inToken
                ? Optional.of(inToken.hsmConfig()) : Optional.empty();
        Path config = request.hsm().or(() -> caConfig).orElseThrow(() -> new InvalidSettingException("--hsm", "--keys hsm makes device "
                + "keys in a PKCS#11 token: name it with --hsm FILE (the same format as for keyline ca init --hsm)"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(config)) {
            throw new InvalidSettingException("--hsm", "no HSM configuration at " + config + " (--hsm): give the path of the file");
        }
        Pkcs11Token opened = null;
        try {
            Pkcs11Token token;
            if (ca.signer() instanceof HsmCaSigner signer && caConfig.map(c -> c.toAbsolutePath().normalize())
                    .filter(config::equals).isPresent()) {
                token = signer.token();
            } else {
                HsmConfig hsm = HsmConfig.load(config);
                char[] pin = HsmPin.resolve(hsm, env);
                try {
                    opened = Pkcs11Token.open(hsm, pin);
                } finally {
                    Arrays.fill(pin, '\0');
                }
                token = opened;
            }
            TokenDeviceKeys keys = token.deviceKeys();
            Optional<WrappingKey> wrappingKey = Optional.empty();
            if (profile.hsmDeviceKeys() == TokenKeyHandling.WRAP) {
                wrappingKey = Optional.of(keys.wrappingKey(profile.hsmWrappingKey().orElseThrow(),
                        WrapMechanism.AES_KEY_WRAP_PAD));
            }
            return new Opened(new TokenKeySource(keys, profile.hsmDeviceKeys(), wrappingKey,
                    new TokenKeyJournal(request.out().resolve(JOURNAL))), Optional.ofNullable(opened));
        } catch (HsmException e) {
            if (opened != null) {
                opened.close();
            }
            throw new InvalidSettingException("--keys", "--keys hsm: " + e.getMessage(), e);
        }
    }
}
