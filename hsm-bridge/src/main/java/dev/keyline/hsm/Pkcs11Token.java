package dev.keyline.hsm;

import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.login.LoginException;

/**
 * One PKCS#11 token, opened and logged in as the user: key generation, lookup by label, certificate storage
 * and pools of signers, all through the JDK's SunPKCS11 provider.
 *
 * <p>PKCS#11 login belongs to the application, not to a session, so every SunPKCS11 instance made here for the
 * same slot (see {@link SunPkcs11Configs}) shares the one login. The PIN is used once, in {@link #open}, and
 * not kept. Thread-safe.
 */
public final class Pkcs11Token implements AutoCloseable {

    private final HsmConfig config;
    private final SlotChoice choice;
    private final String slot;
    private final String description;
    private final Provider provider;
    private final KeyStore keyStore;
    private final Map<KeySpec, Provider> generators = new ConcurrentHashMap<>();
    private volatile TokenDeviceKeys deviceKeys;

    private Pkcs11Token(HsmConfig config, SlotChoice choice, Provider provider, KeyStore keyStore) {
        this.config = config;
        this.choice = choice;
        this.slot = choice.configLine();
        this.description = choice.description();
        this.provider = provider;
        this.keyStore = keyStore;
    }

    /**
     * Opens the token {@code config} names and logs in with {@code pin} (which the caller wipes afterwards).
     *
     * @throws LibraryNotFoundException      when the module is missing or not a PKCS#11 module
     * @throws NoSuchTokenException          when no slot or token matches the configuration
     * @throws TokenNotInitialisedException  when the token was never initialised
     * @throws WrongPinException             when the token refuses the PIN
     * @throws PinLockedException            when the user PIN is locked
     */
    public static Pkcs11Token open(HsmConfig config, char[] pin) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(pin, "pin");
        if (!Files.isRegularFile(config.library())) {
            throw new LibraryNotFoundException("the PKCS#11 module " + config.library() + " (`library` in "
                    + config.source() + ") does not exist: install it (SoftHSM on Debian: apt-get install softhsm2, "
                    + "module /usr/lib/softhsm/libsofthsm2.so) or correct the path");
        }
        SlotChoice choice = SlotChoice.resolve(config);
        Provider provider = configure(config, SunPkcs11Configs.plain(config.library().toString(), choice.configLine()),
                choice.description());
        KeyStore keyStore;
        try {
            keyStore = KeyStore.getInstance("PKCS11", provider);
            keyStore.load(null, pin);
        } catch (IOException e) {
            throw SunPkcs11Failures.login(e, config, choice.description());
        } catch (GeneralSecurityException e) {
            throw new HsmException("cannot open the key store of the token " + choice.description() + ": " + e.getMessage(), e);
        }
        return new Pkcs11Token(config, choice, provider, keyStore);
    }

    /** The configuration this token was opened with. */
    public HsmConfig config() {
        return config;
    }

    /** The token's label (CKA_LABEL of the token, trailing blanks removed); empty when this JVM cannot read it. */
    public Optional<String> tokenLabel() {
        return choice.tokenLabel();
    }

    /** How messages name this token, e.g. {@code "keyline-ca" (slot id 1234)}. */
    public String description() {
        return description;
    }

    /**
     * Device keys in this token: generated per device with their own label and id, kept or exported wrapped.
     * Shares this token's login; its sessions (at most {@code sessions} of the configuration) close with the token.
     *
     * @throws HsmException when this JVM cannot make raw PKCS#11 calls (see {@link TokenDeviceKeys})
     */
    public TokenDeviceKeys deviceKeys() {
        TokenDeviceKeys keys = deviceKeys;
        if (keys == null) {
            synchronized (this) {
                keys = deviceKeys;
                if (keys == null) {
                    long slotId = choice.slotId().orElseThrow(() -> new HsmException("device keys in the token "
                            + description + " need the JDK's PKCS#11 binding to address the slot: run with "
                            + JdkInternalSlotList.ADD_EXPORTS + " (the keyline launcher and the executable jar set it)"));
                    keys = new TokenDeviceKeys(JdkInternalPkcs11.of(config.library()), slotId, description,
                            choice.tokenLabel().orElse(""), config.sessions(), config.borrowTimeout());
                    deviceKeys = keys;
                }
            }
        }
        return keys;
    }

    /** The provider for signing with keys found by {@link #findKey}. */
    public Provider provider() {
        return provider;
    }

    /**
     * Generates a key pair in the token with the attributes {@code spec} asks for.
     *
     * @throws HsmException when the token cannot make such a key
     */
    public TokenKey generate(KeySpec spec) {
        Provider generator = generators.computeIfAbsent(spec, s -> configure(config,
                SunPkcs11Configs.generating(config.library().toString(), slot, s), description));
        try {
            KeyPairGenerator keys = KeyPairGenerator.getInstance(spec.type().jcaName(), generator);
            keys.initialize(spec.type().parameters());
            KeyPair pair = keys.generateKeyPair();
            return new TokenKey(spec.label(), pair.getPrivate(), pair.getPublic(), generator);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new HsmException("the token " + description + " cannot generate " + spec + ": "
                    + SunPkcs11Failures.returnValue(e).orElse(String.valueOf(e.getMessage())), e);
        }
    }

    /**
     * Stores {@code chain} (the key's own certificate first) in the token next to {@code key}, under the
     * key's label, so that {@link #findKey} finds both again. SunPKCS11 links them by giving the key and the
     * certificate CKA_ID = the label's UTF-8 bytes (see {@link KeySpec#caKey}).
     */
    public void storeCertificate(TokenKey key, List<X509Certificate> chain) {
        if (chain.isEmpty() || !Arrays.equals(chain.get(0).getPublicKey().getEncoded(), key.publicKey().getEncoded())) {
            throw new IllegalArgumentException("the chain must start with the certificate of the key " + key.label());
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS11", key.provider());
            store.load(null, null); // the application is logged in already (see the class comment)
            store.setKeyEntry(key.label(), key.privateKey(), null, chain.toArray(new Certificate[0]));
        } catch (IOException | GeneralSecurityException | ProviderException e) {
            throw new HsmException("cannot store the certificate of " + key.label() + " in the token " + description
                    + ": " + SunPkcs11Failures.returnValue(e).orElse(String.valueOf(e.getMessage())), e);
        }
    }

    /** The private key stored under {@code label} with its certificate, when there is one. */
    public Optional<TokenKey> findKey(String label) {
        try {
            synchronized (keyStore) {
                if (!keyStore.isKeyEntry(label)) {
                    // SunPKCS11 maps labels when the store is loaded: reload to see objects stored since then
                    // (e.g. by the generating provider instance), then look again.
                    keyStore.load(null, null);
                    if (!keyStore.isKeyEntry(label)) {
                        return Optional.empty();
                    }
                }
                PrivateKey key = (PrivateKey) keyStore.getKey(label, null);
                X509Certificate certificate = (X509Certificate) keyStore.getCertificate(label);
                return Optional.of(new TokenKey(label, key, certificate.getPublicKey(), provider));
            }
        } catch (IOException | GeneralSecurityException | ProviderException e) {
            throw new HsmException("cannot read the key " + label + " from the token " + description + ": "
                    + SunPkcs11Failures.returnValue(e).orElse(String.valueOf(e.getMessage())), e);
        }
    }

    /**
     * The key under {@code label}.
     *
     * @throws TokenKeyNotFoundException when the token holds no key with a certificate under that label
     */
    public TokenKey requireKey(String label) {
        return findKey(label).orElseThrow(() -> new TokenKeyNotFoundException("the token " + description
                + " holds no private key with a certificate under the label \"" + label + "\": check the label, "
                + "and that " + config.source() + " names the token the key was made in"));
    }

    /** The certificate chain stored under {@code label} (the key's own certificate first); empty when none. */
    public List<X509Certificate> certificateChain(String label) {
        try {
            synchronized (keyStore) {
                Certificate[] chain = keyStore.getCertificateChain(label);
                return chain == null ? List.of() : Arrays.stream(chain).map(c -> (X509Certificate) c).toList();
            }
        } catch (GeneralSecurityException e) {
            throw new HsmException("cannot read the certificates under " + label + ": " + e.getMessage(), e);
        }
    }

    /** A pool of {@code config.sessions()} signers for {@code key}; see {@link SignerPool}. */
    public SignerPool signerPool(TokenKey key, String signatureAlgorithm) {
        return new SignerPool(key, signatureAlgorithm, config.sessions(), config.borrowTimeout());
    }

    /** Logs the application out of the token; keys and pools of this token stop working. */
    @Override
    public void close() {
        TokenDeviceKeys keys = deviceKeys;
        if (keys != null) {
            keys.close();
        }
        logout(provider);
        generators.values().forEach(Pkcs11Token::logout);
    }

    @Override
    public String toString() {
        return "Pkcs11Token[" + description + ", " + config.library() + "]";
    }

    private static void logout(Provider p) {
        try {
            ((java.security.AuthProvider) p).logout();
        } catch (LoginException | ProviderException e) {
            // already logged out (another instance of the same application did it)
        }
    }

    private static Provider configure(HsmConfig config, String text, String description) {
        Provider base = Security.getProvider("SunPKCS11");
        if (base == null) {
            throw new HsmException("this Java runtime has no SunPKCS11 provider (module jdk.crypto.cryptoki): "
                    + "use a full JDK or JRE 17+");
        }
        try {
            return base.configure(text);
        } catch (ProviderException | java.security.InvalidParameterException e) {
            Optional<String> code = SunPkcs11Failures.returnValue(e);
            if (code.isPresent()) {
                throw SunPkcs11Failures.login(e, config, description);
            }
            throw new LibraryNotFoundException("SunPKCS11 cannot use " + config.library() + " for the token "
                    + description + " (" + rootMessage(e) + "): check `library` and the token setting in "
                    + config.source(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
