package dev.keyline.ca.store;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import dev.keyline.ca.CaException;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.hsm.HsmConfig;
import dev.keyline.hsm.HsmException;
import dev.keyline.hsm.HsmPin;
import dev.keyline.hsm.Pkcs11Token;
import dev.keyline.hsm.TokenKey;
import dev.keyline.keys.KeyAlgorithm;

/**
 * A CA key in a PKCS#11 token (HSM): sensitive, not extractable, signing in the token. The CA folder's
 * {@code ca.properties} says {@code key.store=}{@value #NAME} and names the HSM configuration file
 * ({@value #HSM_CONFIG_PROPERTY}, absolute) and the key's CKA_LABEL ({@value #KEY_LABEL_PROPERTY}); never the PIN,
 * which comes from that configuration's pin-file or {@code KEYLINE_HSM_PIN}.
 *
 * <p>With {@link HsmCaSigner}, the only code of the engine's CA that talks to {@code hsm-bridge}. A token it opens
 * stays open for as long as the CA is used: whoever holds the CA closes it through {@link HsmCaSigner#token()}.
 *
 * @param hsmConfig the HSM configuration file (recorded absolute in ca.properties)
 * @param label     the key's CKA_LABEL in that token
 */
public record Pkcs11CaKeyStore(CaFolder folder, Path hsmConfig, String label) implements CaKeyStore {

    /** The {@code key.store} value of a folder whose key is in a token. */
    public static final String NAME = "pkcs11";
    public static final String HSM_CONFIG_PROPERTY = "hsm.config";
    public static final String KEY_LABEL_PROPERTY = "key.label";

    public Pkcs11CaKeyStore {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(hsmConfig, "hsmConfig");
        Objects.requireNonNull(label, "label");
    }

    /** The key store a folder's {@code ca.properties} records. */
    static Pkcs11CaKeyStore recordedIn(CaFolder folder, Properties properties) {
        String config = requireProperty(folder, properties, HSM_CONFIG_PROPERTY);
        String label = requireProperty(folder, properties, KEY_LABEL_PROPERTY);
        return new Pkcs11CaKeyStore(folder, folder.dir().resolve(config), label);
    }

    /**
     * Opens the token the HSM configuration names with the user PIN from its pin-file or the environment
     * {@code secrets} gives, finds the key by its label and checks it is the certificate's key.
     *
     * @throws CaException for every failure, with the token's reason (wrong PIN, no such token, ...) as message
     */
    @Override
    public CertificateAuthority open(CaSecrets secrets, Clock clock) {
        List<X509Certificate> chain = folder.verifiedChain(clock.instant());
        X509Certificate certificate = chain.get(0);
        Pkcs11Token token = null;
        try {
            HsmConfig config = HsmConfig.load(hsmConfig);
            token = openToken(config, secrets.environment());
            TokenKey key = token.requireKey(label);
            if (!Arrays.equals(key.publicKey().getEncoded(), certificate.getPublicKey().getEncoded())) {
                throw new CaException("the key \"" + label + "\" in the token named by " + config.source()
                        + " does not belong to the certificate in " + folder.file(CaFolder.CERTIFICATE_FILE)
                        + ": the CA folder and the token are of two different CAs");
            }
            return new CertificateAuthority(certificate, chain, HsmCaSigner.of(token, key));
        } catch (HsmException e) {
            closeQuietly(token);
            throw new CaException("cannot unlock the CA in " + folder.dir() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(token);
            throw e;
        }
    }

    /**
     * For {@code keyline ca init}: opens the token with the PIN from the configuration's pin-file or
     * {@code environment}, and generates the CA key in it under this label (a token object, sensitive and not
     * extractable, usable only to sign). The token stays open in the signer.
     *
     * @throws CaException when the token cannot be opened, already holds a key under the label, or cannot make it
     */
    public HsmCaSigner generate(KeyAlgorithm algorithm, Map<String, String> environment) {
        Pkcs11Token token;
        try {
            token = openToken(HsmConfig.load(hsmConfig), environment);
        } catch (HsmException e) {
            throw new CaException(e.getMessage(), e);
        }
        try {
            return HsmCaSigner.generate(token, algorithm, label);
        } catch (RuntimeException e) {
            token.close();
            throw e;
        }
    }

    /**
     * For {@code keyline ca init}: stores the chain in the token next to the key {@link #generate} made (that is how
     * the key is found again by its label), then writes the new CA folder, whose {@code ca.properties} records the
     * HSM configuration and the label. Never the PIN; there is no ca.p12.
     *
     * @param chain the certificate's issuers up to the root; the certificate itself may come first or be left out
     */
    public void write(X509Certificate certificate, List<X509Certificate> chain, HsmCaSigner signer) {
        Objects.requireNonNull(certificate, "certificate");
        if (!Arrays.equals(signer.publicKey().getEncoded(), certificate.getPublicKey().getEncoded())) {
            throw new CaException("the token key " + signer.label() + " given for " + folder.dir()
                    + " does not belong to its certificate");
        }
        signer.storeCertificateChain(CaFolder.fullChain(certificate, chain));
        String properties = "# Keyline CA folder. The CA's private key lives in a PKCS#11 token (HSM):\n"
                + "#   " + HSM_CONFIG_PROPERTY + " names the token (module, slot or label, pin-file); " + KEY_LABEL_PROPERTY
                + " is the key's CKA_LABEL.\n"
                + "#   The user PIN comes from that file's pin-file or from " + HsmPin.ENV + "; it is never stored here.\n"
                + "format=1\n"
                + CaFolder.KEY_STORE_PROPERTY + "=" + NAME + "\n"
                + HSM_CONFIG_PROPERTY + "=" + escape(hsmConfig.toAbsolutePath().normalize().toString()) + "\n"
                + KEY_LABEL_PROPERTY + "=" + escape(label) + "\n";
        folder.write(certificate, chain, staging -> staging.write(CaFolder.PROPERTIES_FILE, properties));
    }

    private static Pkcs11Token openToken(HsmConfig config, Map<String, String> environment) {
        char[] pin = HsmPin.resolve(config, environment);
        try {
            return Pkcs11Token.open(config, pin);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    private static String requireProperty(CaFolder folder, Properties properties, String name) {
        String value = properties.getProperty(name, "").strip();
        if (value.isEmpty()) {
            throw new CaException(folder.file(CaFolder.PROPERTIES_FILE) + " has no " + name + ": a CA folder with its key "
                    + "in a token needs " + HSM_CONFIG_PROPERTY + " and " + KEY_LABEL_PROPERTY
                    + "; restore it from your backup");
        }
        return value;
    }

    /** A backslash in a properties value escapes the next character, so one that is meant must be doubled. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }

    private static void closeQuietly(Pkcs11Token token) {
        if (token != null) {
            token.close();
        }
    }
}
