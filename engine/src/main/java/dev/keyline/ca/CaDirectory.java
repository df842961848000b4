package dev.keyline.ca;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;

import dev.keyline.bundle.Pem;
import dev.keyline.hsm.HsmConfig;
import dev.keyline.hsm.HsmException;
import dev.keyline.hsm.HsmPin;
import dev.keyline.hsm.Pkcs11Token;
import dev.keyline.hsm.TokenKey;
import dev.keyline.keys.CryptoProviders;
import dev.keyline.keys.KeyAlgorithm;

/**
 * A CA folder on disk and how to read and write it.
 *
 * <pre>
 * DIR/                 0700
 *   ca.crt.pem         this CA's certificate (PEM)
 *   chain.pem          this CA, then its issuers up to the root (PEM)
 *   ca.p12             PKCS#12: the private key and the chain under alias "ca"; 0600 (software keys only)
 *   ca.properties      where the key lives: key.store=software (ca.p12), or key.store=pkcs11 with
 *                      hsm.config (the --hsm file) and key.label (the key's CKA_LABEL in that token)
 * </pre>
 *
 * <p>A folder is written complete or not at all: the files go to a hidden sibling folder created 0700,
 * which is then renamed into place. Permissions are given when each file is created, so there is no
 * moment at which the key is readable by others. Every failure is a {@link CaException} whose message
 * names the folder and what to do.
 */
public final class CaDirectory {

    public static final String CERTIFICATE_FILE = "ca.crt.pem";
    public static final String CHAIN_FILE = "chain.pem";
    public static final String KEY_STORE_FILE = "ca.p12";
    public static final String PROPERTIES_FILE = "ca.properties";
    public static final String KEY_ALIAS = "ca";

    /** {@code ca.properties}: where the private key lives. */
    public static final String KEY_STORE_PROPERTY = "key.store";
    public static final String KEY_STORE_SOFTWARE = "software";
    public static final String KEY_STORE_PKCS11 = "pkcs11";
    /** With {@code key.store=pkcs11}: the HSM configuration file (absolute path) and the key's CKA_LABEL. */
    public static final String HSM_CONFIG_PROPERTY = "hsm.config";
    public static final String KEY_LABEL_PROPERTY = "key.label";

    private static final int KEY_USAGE_KEY_CERT_SIGN = 5;

    private CaDirectory() {
    }

    /** True when {@code dir} holds any of a CA folder's files (so writing there would overwrite a CA). */
    public static boolean exists(Path dir) {
        return Stream.of(CERTIFICATE_FILE, CHAIN_FILE, KEY_STORE_FILE, PROPERTIES_FILE)
                .anyMatch(name -> Files.exists(dir.resolve(name)));
    }

    /** Loads the CA in {@code dir}, checking its validity against the system clock. */
    public static CertificateAuthority load(Path dir, char[] passphrase) {
        return load(dir, passphrase, Clock.systemUTC());
    }

    /**
     * Loads the CA in {@code dir} and checks that it can sign: the files are there and readable, the
     * passphrase opens the key store, the certificate is a CA certificate valid now, and the key is its key.
     */
    public static CertificateAuthority load(Path dir, char[] passphrase, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(passphrase, "passphrase");
        if (!Files.isDirectory(dir)) {
            throw new CaException("no CA at " + dir + ": create one with `keyline ca init --out " + dir + "`");
        }
        String store = keyStoreOf(dir, readProperties(dir));
        if (store.equals(KEY_STORE_PKCS11)) {
            throw new CaException(dir + " keeps its CA key in a PKCS#11 token (" + KEY_STORE_PROPERTY + "=pkcs11): "
                    + "it is unlocked with the token's user PIN (" + HsmPin.ENV + " or the HSM configuration's pin-file), "
                    + "not a passphrase");
        }
        List<X509Certificate> chain = verifiedChain(dir, clock);
        X509Certificate certificate = chain.get(0);
        PrivateKey key = readKey(dir, passphrase);
        if (!keyMatches(key, certificate.getPublicKey())) {
            throw new CaException("the private key in " + file(dir, KEY_STORE_FILE) + " does not belong to the certificate in "
                    + file(dir, CERTIFICATE_FILE) + ": the folder mixes files of two CAs; restore it from your backup");
        }
        return new CertificateAuthority(certificate, chain, new SoftwareCaSigner(key, certificate.getPublicKey()));
    }

    /** True when the CA folder {@code dir} says its key lives in a PKCS#11 token ({@code key.store=pkcs11}). */
    public static boolean keyInToken(Path dir) {
        return Files.isRegularFile(dir.resolve(PROPERTIES_FILE))
                && keyStoreOf(dir, readProperties(dir)).equals(KEY_STORE_PKCS11);
    }

    /** The HSM configuration file a CA folder with its key in a token names ({@code hsm.config}), resolved. */
    public static Path hsmConfigOf(Path dir) {
        return dir.resolve(requireProperty(dir, readProperties(dir), HSM_CONFIG_PROPERTY)).toAbsolutePath().normalize();
    }

    /**
     * Loads a CA whose key lives in a PKCS#11 token: opens the token named by the folder's HSM configuration
     * with the user PIN from its pin-file or {@code env}'s {@value HsmPin#ENV}, finds the key by its label and
     * checks it is the certificate's key. The token stays open for as long as the CA is used.
     *
     * @throws CaException for every failure, with the token's reason (wrong PIN, no such token, ...) as message
     */
    public static CertificateAuthority loadFromToken(Path dir, Map<String, String> env, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new CaException("no CA at " + dir + ": create one with `keyline ca init --hsm FILE --out " + dir + "`");
        }
        Properties properties = readProperties(dir);
        String configPath = requireProperty(dir, properties, HSM_CONFIG_PROPERTY);
        String label = requireProperty(dir, properties, KEY_LABEL_PROPERTY);
        List<X509Certificate> chain = verifiedChain(dir, clock);
        X509Certificate certificate = chain.get(0);
        Pkcs11Token token = null;
        try {
            HsmConfig config = HsmConfig.load(dir.resolve(configPath));
            char[] pin = HsmPin.resolve(config, env);
            try {
                token = Pkcs11Token.open(config, pin);
            } finally {
                Arrays.fill(pin, '\0');
            }
            TokenKey key = token.requireKey(label);
            if (!Arrays.equals(key.publicKey().getEncoded(), certificate.getPublicKey().getEncoded())) {
                throw new CaException("the key \"" + label + "\" in the token named by " + config.source()
                        + " does not belong to the certificate in " + file(dir, CERTIFICATE_FILE)
                        + ": the CA folder and the token are of two different CAs");
            }
            return new CertificateAuthority(certificate, chain, HsmCaSigner.of(token, key));
        } catch (HsmException e) {
            closeQuietly(token);
            throw new CaException("cannot unlock the CA in " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(token);
            throw e;
        }
    }

    /**
     * Writes a new CA folder for a key that lives in a token: the certificates and {@code ca.properties}
     * naming the HSM configuration (absolute path) and the key label. Never the PIN; there is no ca.p12.
     */
    public static void writeForToken(Path dir, X509Certificate certificate, List<X509Certificate> chain,
            Path hsmConfig, HsmCaSigner signer) {
        Objects.requireNonNull(hsmConfig, "hsmConfig");
        checkWritable(dir);
        checkIsCa(certificate, "the certificate for " + dir);
        if (!Arrays.equals(signer.publicKey().getEncoded(), certificate.getPublicKey().getEncoded())) {
            throw new CaException("the token key " + signer.label() + " given for " + dir + " does not belong to its certificate");
        }
        String properties = "# Keyline CA folder. The CA's private key lives in a PKCS#11 token (HSM):\n"
                + "#   " + HSM_CONFIG_PROPERTY + " names the token (module, slot or label, pin-file); " + KEY_LABEL_PROPERTY
                + " is the key's CKA_LABEL.\n"
                + "#   The user PIN comes from that file's pin-file or from " + HsmPin.ENV + "; it is never stored here.\n"
                + "format=1\n"
                + KEY_STORE_PROPERTY + "=" + KEY_STORE_PKCS11 + "\n"
                + HSM_CONFIG_PROPERTY + "=" + escape(hsmConfig.toAbsolutePath().normalize().toString()) + "\n"
                + KEY_LABEL_PROPERTY + "=" + escape(signer.label()) + "\n";
        writeFolder(dir, certificate, chain, staging -> Files.writeString(staging.resolve(PROPERTIES_FILE), properties,
                StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW));
    }

    /**
     * Writes a new CA folder. Refuses to touch a folder that already holds a CA or any other file.
     *
     * @param chain the certificate's issuers up to the root; the certificate itself may come first or be left out
     */
    public static void write(Path dir, X509Certificate certificate, List<X509Certificate> chain, PrivateKey key,
            char[] passphrase) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(passphrase, "passphrase");
        if (passphrase.length == 0) {
            throw new CaException("refusing to write " + file(dir, KEY_STORE_FILE)
                    + " with an empty passphrase: the CA key would be unprotected");
        }
        checkWritable(dir);
        checkIsCa(certificate, "the certificate for " + dir);
        if (!keyMatches(key, certificate.getPublicKey())) {
            throw new CaException("the private key given for " + dir + " does not belong to its certificate");
        }
        writeFolder(dir, certificate, chain, staging -> {
            Path p12 = Files.createFile(staging.resolve(KEY_STORE_FILE), permissions(dir, "rw-------"));
            try (OutputStream out = Files.newOutputStream(p12, StandardOpenOption.WRITE)) {
                out.write(pkcs12(key, fullChain(certificate, chain), passphrase));
            }
            Files.writeString(staging.resolve(PROPERTIES_FILE), propertiesText(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW);
        });
    }

    /** What a CA folder holds besides its certificates, written into the staging folder. */
    private interface KeyFiles {
        void writeInto(Path staging) throws IOException;
    }

    /** Writes the certificates and {@code keyFiles} into a private staging folder, then renames it into place. */
    private static void writeFolder(Path dir, X509Certificate certificate, List<X509Certificate> chain, KeyFiles keyFiles) {
        List<X509Certificate> full = fullChain(certificate, chain);
        Path absolute = dir.toAbsolutePath();
        Path staging = null;
        try {
            Files.createDirectories(absolute.getParent());
            staging = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + ".tmp-",
                    permissions(dir, "rwx------"));
            Files.write(staging.resolve(CERTIFICATE_FILE), pem(List.of(certificate)), StandardOpenOption.CREATE_NEW);
            Files.write(staging.resolve(CHAIN_FILE), pem(full), StandardOpenOption.CREATE_NEW);
            keyFiles.writeInto(staging);
            if (Files.isDirectory(absolute)) {
                Files.delete(absolute); // checked empty above; the rename needs the name free
            }
            Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
            staging = null;
        } catch (FileAlreadyExistsException e) {
            throw new CaException(dir + " appeared while the CA was being written: refusing to overwrite it", e);
        } catch (IOException e) {
            throw new CaException("cannot write the CA folder " + dir + ": " + e.getMessage()
                    + " (check that the parent folder exists and is writable)", e);
        } finally {
            if (staging != null) {
                deleteQuietly(staging);
            }
        }
    }

    private static List<X509Certificate> fullChain(X509Certificate certificate, List<X509Certificate> chain) {
        List<X509Certificate> full = new ArrayList<>(chain);
        if (full.isEmpty() || !full.get(0).equals(certificate)) {
            full.add(0, certificate);
        }
        return full;
    }

    // ---- reading -------------------------------------------------------------------------------------

    private static String keyStoreOf(Path dir, Properties properties) {
        String store = properties.getProperty(KEY_STORE_PROPERTY, "").strip().toLowerCase(Locale.ROOT);
        if (!store.equals(KEY_STORE_SOFTWARE) && !store.equals(KEY_STORE_PKCS11)) {
            throw new CaException(file(dir, PROPERTIES_FILE) + ": " + KEY_STORE_PROPERTY + " is \"" + store
                    + "\"; it must be " + KEY_STORE_SOFTWARE + " (key in ca.p12) or " + KEY_STORE_PKCS11 + " (key in a token)");
        }
        return store;
    }

    private static String requireProperty(Path dir, Properties properties, String name) {
        String value = properties.getProperty(name, "").strip();
        if (value.isEmpty()) {
            throw new CaException(file(dir, PROPERTIES_FILE) + " has no " + name + ": a CA folder with its key in a token "
                    + "needs " + HSM_CONFIG_PROPERTY + " and " + KEY_LABEL_PROPERTY + "; restore it from your backup");
        }
        return value;
    }

    /** The folder's chain (its own certificate first), checked: linked, a CA certificate, valid now. */
    private static List<X509Certificate> verifiedChain(Path dir, Clock clock) {
        X509Certificate certificate = readCertificates(dir, CERTIFICATE_FILE).get(0);
        List<X509Certificate> chain = readCertificates(dir, CHAIN_FILE);
        if (!chain.get(0).equals(certificate)) {
            throw new CaException(file(dir, CHAIN_FILE) + " does not start with the certificate in "
                    + file(dir, CERTIFICATE_FILE) + ": the folder mixes files of two CAs; restore it from your backup");
        }
        checkChain(dir, chain);
        checkIsCa(certificate, file(dir, CERTIFICATE_FILE));
        checkValidity(dir, certificate, clock.instant());
        return chain;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }

    private static void closeQuietly(Pkcs11Token token) {
        if (token != null) {
            token.close();
        }
    }

    private static Properties readProperties(Path dir) {
        Path path = requireFile(dir, PROPERTIES_FILE);
        try {
            Properties properties = new Properties();
            properties.load(new StringReader(Files.readString(path, StandardCharsets.UTF_8)));
            return properties;
        } catch (IOException e) {
            throw new CaException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> readCertificates(Path dir, String name) {
        Path path = requireFile(dir, name);
        try (InputStream in = Files.newInputStream(path)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) c);
            }
            if (certificates.isEmpty()) {
                throw new CaException(path + " holds no certificate: restore it from your backup");
            }
            return certificates;
        } catch (IOException | CertificateException e) {
            throw new CaException(path + " does not hold readable PEM certificates (" + e.getMessage()
                    + "): restore it from your backup", e);
        }
    }

    private static PrivateKey readKey(Path dir, char[] passphrase) {
        Path path = requireFile(dir, KEY_STORE_FILE);
        KeyStore store;
        try (InputStream in = Files.newInputStream(path)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, passphrase);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new CaException("the passphrase does not open " + path
                        + ": check KEYLINE_CA_PASSPHRASE or --passphrase-file");
            }
            throw new CaException("cannot read " + path + " as a PKCS#12 key store (" + e.getMessage()
                    + "): restore it from your backup", e);
        } catch (GeneralSecurityException e) {
            throw new CaException("cannot read " + path + " as a PKCS#12 key store (" + e.getMessage() + ")", e);
        }
        try {
            Key key = store.getKey(KEY_ALIAS, passphrase);
            if (!(key instanceof PrivateKey privateKey)) {
                throw new CaException(path + " has no private key under the alias \"" + KEY_ALIAS
                        + "\": it was not written by Keyline; re-create the CA or import the key under that alias");
            }
            return privateKey;
        } catch (UnrecoverableKeyException e) {
            throw new CaException("the passphrase opens " + path + " but not the key in it: "
                    + "the key was protected with another passphrase; re-export it with the store's passphrase");
        } catch (GeneralSecurityException e) {
            throw new CaException("cannot read the CA key from " + path + ": " + e.getMessage(), e);
        }
    }

    private static Path requireFile(Path dir, String name) {
        Path path = dir.resolve(name);
        if (!Files.isRegularFile(path)) {
            throw new CaException(path + " is missing: " + dir + " is not a complete CA folder (it needs "
                    + CERTIFICATE_FILE + ", " + CHAIN_FILE + ", " + KEY_STORE_FILE + " and " + PROPERTIES_FILE
                    + "); restore it from your backup or create a CA with `keyline ca init --out DIR`");
        }
        return path;
    }

    // ---- checks --------------------------------------------------------------------------------------

    /**
     * Refuses a folder that holds a CA or any other file, or is not a folder: call it before
     * expensive work (key generation) that {@link #write} would otherwise throw away.
     */
    public static void checkWritable(Path dir) {
        if (exists(dir)) {
            throw new CaException(dir + " already holds a CA: Keyline never overwrites one; "
                    + "choose another --out folder (or move the old CA away first)");
        }
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new CaException(dir + " exists and is not a folder: choose another --out folder");
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                if (entries.iterator().hasNext()) {
                    throw new CaException(dir + " is not empty: a CA needs a folder of its own; choose another --out folder");
                }
            } catch (IOException e) {
                throw new CaException("cannot read the folder " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** basicConstraints CA:TRUE and, when keyUsage is present, keyCertSign. */
    static void checkIsCa(X509Certificate certificate, Object where) {
        if (certificate.getBasicConstraints() < 0) {
            throw new CaException(where + " is not a CA certificate (it lacks basicConstraints CA:TRUE): "
                    + "use a CA certificate, e.g. one made by `keyline ca init`");
        }
        boolean[] usage = certificate.getKeyUsage();
        if (usage != null && (usage.length <= KEY_USAGE_KEY_CERT_SIGN || !usage[KEY_USAGE_KEY_CERT_SIGN])) {
            throw new CaException(where + " may not sign certificates (its keyUsage lacks keyCertSign): "
                    + "use a CA certificate, e.g. one made by `keyline ca init`");
        }
    }

    private static void checkValidity(Path dir, X509Certificate certificate, Instant now) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        Instant notBefore = certificate.getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            throw new CaException("the CA certificate in " + dir + " expired on " + notAfter
                    + ": create a new CA with `keyline ca init` (devices cannot be issued under an expired CA)");
        }
        if (now.isBefore(notBefore)) {
            throw new CaException("the CA certificate in " + dir + " is not valid before " + notBefore
                    + ": check this machine's clock");
        }
    }

    private static void checkChain(Path dir, List<X509Certificate> chain) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            try {
                chain.get(i).verify(chain.get(i + 1).getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new CaException(file(dir, CHAIN_FILE) + ": certificate " + (i + 1) + " ("
                        + chain.get(i).getSubjectX500Principal().getName() + ") is not signed by the next one ("
                        + chain.get(i + 1).getSubjectX500Principal().getName() + "): restore the chain from your backup");
            }
        }
    }

    /** Proves that the private key belongs to the public key by signing and verifying a challenge. */
    static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) {
        KeyAlgorithm algorithm = KeyAlgorithm.of(publicKey).orElseThrow(() -> new CaException(
                "unsupported CA key (" + publicKey.getAlgorithm() + "): use one of " + KeyAlgorithm.validIds()));
        String name = SignatureAlgorithms.signatureAlgorithm(algorithm, "SHA-256");
        byte[] challenge = "keyline: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(name, CryptoProviders.bc());
            signer.initSign(privateKey);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(name, CryptoProviders.bc());
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    // ---- writing -------------------------------------------------------------------------------------

    private static byte[] pkcs12(PrivateKey key, List<X509Certificate> chain, char[] passphrase) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(KEY_ALIAS, key, passphrase, chain.toArray(new X509Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, passphrase);
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new CaException("cannot build the PKCS#12 key store: " + e.getMessage(), e);
        }
    }

    private static byte[] pem(List<X509Certificate> certificates) {
        try {
            return Pem.certificates(certificates);
        } catch (CertificateException e) {
            throw new CaException("cannot encode the CA certificates as PEM: " + e.getMessage(), e);
        }
    }

    /** Reads PEM (or DER) certificates, e.g. a chain file. */
    public static List<X509Certificate> parseCertificates(byte[] encoded) throws CertificateException {
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(encoded))) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    private static String propertiesText() {
        return "# Keyline CA folder. Where the CA's private key lives:\n"
                + "#   software  in ca.p12 next to this file (PKCS#12, alias \"ca\", protected by the CA passphrase)\n"
                + "#   pkcs11    in a PKCS#11 token (HSM), see hsm.config and key.label\n"
                + "format=1\n"
                + KEY_STORE_PROPERTY + "=" + KEY_STORE_SOFTWARE + "\n"
                + "key.file=" + KEY_STORE_FILE + "\n"
                + "key.alias=" + KEY_ALIAS + "\n";
    }

    private static FileAttribute<?>[] permissions(Path dir, String posix) {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(posix))};
        }
        return new FileAttribute<?>[0];
    }

    private static String file(Path dir, String name) {
        return dir.resolve(name).toString();
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: the staging folder is hidden and private
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
