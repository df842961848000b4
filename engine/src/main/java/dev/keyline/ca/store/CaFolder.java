package dev.keyline.ca.store;

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
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;

import dev.keyline.bundle.Pem;
import dev.keyline.ca.CaException;

/**
 * A CA folder on disk: its layout, reading it, and writing it whole.
 *
 * <pre>
 * DIR/                 0700
 *   ca.crt.pem         this CA's certificate (PEM)
 *   chain.pem          this CA, then its issuers up to the root (PEM)
 *   ca.p12             PKCS#12: the private key and the chain under alias "ca"; 0600 (software keys only)
 *   ca.properties      where the key lives, {@value #KEY_STORE_PROPERTY}: {@value Pkcs12CaKeyStore#NAME} (ca.p12)
 *                      or {@value Pkcs11CaKeyStore#NAME} (a token; see {@link Pkcs11CaKeyStore})
 * </pre>
 *
 * <p>A folder is written complete or not at all: the files go to a hidden sibling folder created 0700, which is then
 * renamed into place. Permissions are given when each file is created, so there is no moment at which the key is
 * readable by others. Every failure is a {@link CaException} whose message names the folder and what to do.
 */
public record CaFolder(Path dir) {

    public static final String CERTIFICATE_FILE = "ca.crt.pem";
    public static final String CHAIN_FILE = "chain.pem";
    public static final String KEY_STORE_FILE = "ca.p12";
    public static final String PROPERTIES_FILE = "ca.properties";

    /** {@code ca.properties}: where the private key lives, which chooses the {@link CaKeyStore}. */
    public static final String KEY_STORE_PROPERTY = "key.store";

    public CaFolder {
        Objects.requireNonNull(dir, "dir");
    }

    /** What a key store strategy writes into a new folder besides its certificates. */
    @FunctionalInterface
    interface KeyFiles {
        void writeInto(Staging staging) throws IOException;
    }

    /** The private folder a new CA is written into before it is renamed into place. */
    static final class Staging {
        private final Path dir;

        private Staging(Path dir) {
            this.dir = dir;
        }

        /** A file anyone with access to the folder may read (the folder itself is 0700). */
        void write(String name, String text) throws IOException {
            Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        }

        /** A file only the owner may read or write (0600), from the moment it exists. */
        void writeOwnerOnly(String name, byte[] content) throws IOException {
            Path file = Files.createFile(dir.resolve(name), permissions(dir, "rw-------"));
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
                out.write(content);
            }
        }
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** True when the folder holds any of a CA folder's files (so writing there would overwrite a CA). */
    public boolean holdsCa() {
        return Stream.of(CERTIFICATE_FILE, CHAIN_FILE, KEY_STORE_FILE, PROPERTIES_FILE)
                .anyMatch(name -> Files.exists(dir.resolve(name)));
    }

    /**
     * The key store {@code ca.properties} names: the strategy that opens this CA's key.
     *
     * @throws CaException when there is no folder, no {@code ca.properties}, or it names no known key store
     */
    public CaKeyStore keyStore() {
        if (!Files.isDirectory(dir)) {
            throw new CaException("no CA at " + dir + ": create one with `keyline ca init --out " + dir + "`");
        }
        Properties properties = properties();
        String store = properties.getProperty(KEY_STORE_PROPERTY, "").strip().toLowerCase(Locale.ROOT);
        return switch (store) {
            case Pkcs12CaKeyStore.NAME -> new Pkcs12CaKeyStore(this);
            case Pkcs11CaKeyStore.NAME -> Pkcs11CaKeyStore.recordedIn(this, properties);
            default -> throw new CaException(file(PROPERTIES_FILE) + ": " + KEY_STORE_PROPERTY + " is \"" + store
                    + "\"; it must be " + Pkcs12CaKeyStore.NAME + " (key in ca.p12) or " + Pkcs11CaKeyStore.NAME
                    + " (key in a token)");
        };
    }

    /** The folder's chain (its own certificate first), checked: linked, a CA certificate, valid at {@code now}. */
    public List<X509Certificate> verifiedChain(Instant now) {
        X509Certificate certificate = readCertificates(CERTIFICATE_FILE).get(0);
        List<X509Certificate> chain = readCertificates(CHAIN_FILE);
        if (!chain.get(0).equals(certificate)) {
            throw new CaException(file(CHAIN_FILE) + " does not start with the certificate in "
                    + file(CERTIFICATE_FILE) + ": the folder mixes files of two CAs; restore it from your backup");
        }
        CaCertificateChecks.requireLinked(chain, file(CHAIN_FILE));
        CaCertificateChecks.requireCa(certificate, file(CERTIFICATE_FILE));
        CaCertificateChecks.requireValidAt(certificate, now, dir);
        return chain;
    }

    /**
     * Refuses a folder that holds a CA or any other file, or is not a folder: call it before expensive work (key
     * generation) that {@link #write} would otherwise throw away.
     */
    public void checkWritable() {
        if (holdsCa()) {
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

    /**
     * Writes this new CA folder: the certificates, then {@code keyFiles}, into a private staging folder that is
     * renamed into place, so the folder appears complete or not at all. Refuses a folder that already holds a CA or
     * any other file, and a certificate that is not a CA certificate.
     *
     * @param chain the certificate's issuers up to the root; the certificate itself may come first or be left out
     */
    void write(X509Certificate certificate, List<X509Certificate> chain, KeyFiles keyFiles) {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(keyFiles, "keyFiles");
        checkWritable();
        CaCertificateChecks.requireCa(certificate, "the certificate for " + dir);
        List<X509Certificate> full = fullChain(certificate, chain);
        Path absolute = dir.toAbsolutePath();
        Path staging = null;
        try {
            Files.createDirectories(absolute.getParent());
            staging = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + ".tmp-",
                    permissions(dir, "rwx------"));
            Files.write(staging.resolve(CERTIFICATE_FILE), pem(List.of(certificate)), StandardOpenOption.CREATE_NEW);
            Files.write(staging.resolve(CHAIN_FILE), pem(full), StandardOpenOption.CREATE_NEW);
            keyFiles.writeInto(new Staging(staging));
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

    /** {@code ca.properties}, read as Java properties (UTF-8). */
    private Properties properties() {
        Path path = requireFile(PROPERTIES_FILE);
        try {
            Properties properties = new Properties();
            properties.load(new StringReader(Files.readString(path, StandardCharsets.UTF_8)));
            return properties;
        } catch (IOException e) {
            throw new CaException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The path of a file the folder must have, or a message that says the folder is incomplete. */
    Path requireFile(String name) {
        Path path = dir.resolve(name);
        if (!Files.isRegularFile(path)) {
            throw new CaException(path + " is missing: " + dir + " is not a complete CA folder (it needs "
                    + CERTIFICATE_FILE + ", " + CHAIN_FILE + ", " + KEY_STORE_FILE + " and " + PROPERTIES_FILE
                    + "); restore it from your backup or create a CA with `keyline ca init --out DIR`");
        }
        return path;
    }

    /** The certificate and its chain, the certificate first whether or not {@code chain} begins with it. */
    static List<X509Certificate> fullChain(X509Certificate certificate, List<X509Certificate> chain) {
        List<X509Certificate> full = new ArrayList<>(chain);
        if (full.isEmpty() || !full.get(0).equals(certificate)) {
            full.add(0, certificate);
        }
        return full;
    }

    private List<X509Certificate> readCertificates(String name) {
        Path path = requireFile(name);
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

    private static byte[] pem(List<X509Certificate> certificates) {
        try {
            return Pem.certificates(certificates);
        } catch (CertificateEncodingException e) {
            throw new CaException("cannot encode the CA certificates as PEM: " + e.getMessage(), e);
        }
    }

    private static FileAttribute<?>[] permissions(Path dir, String posix) {
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(posix))};
        }
        return new FileAttribute<?>[0];
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
