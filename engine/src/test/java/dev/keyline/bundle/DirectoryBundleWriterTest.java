package dev.keyline.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DirectoryBundleWriterTest {

    private static final int FAST_ITERATIONS = BundleOptions.MIN_PBKDF2_ITERATIONS;

    private final TestPki pki = new TestPki();

    @TempDir
    Path out;

    private BundleOptions plain() {
        return new BundleOptions(out, Optional.empty(), false).withPbkdf2Iterations(FAST_ITERATIONS);
    }

    private BundleOptions encrypted(boolean pkcs12) {
        return new BundleOptions(out, Optional.of(TestPki.PASSPHRASE.clone()), pkcs12).withPbkdf2Iterations(FAST_ITERATIONS);
    }

    @Test
    void writesCertificateKeyAndChainThatTheJdkAndOpenSslRead() throws Exception {
        DeviceBundle bundle = pki.device("dev-1");
        WrittenBundle written;
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(plain())) {
            written = writer.write(bundle);
        }

        Path dir = out.resolve("bundles/dev-1");
        assertThat(written.bundlePath()).isEqualTo("bundles/dev-1");
        assertThat(written.files()).extracting(BundleFile::path)
                .containsExactly("bundles/dev-1/device.crt.pem", "bundles/dev-1/device.key.pem", "bundles/dev-1/chain.pem");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("device.crt.pem", "device.key.pem", "chain.pem");
        }

        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(dir.resolve("device.crt.pem"))) {
            certificate = (X509Certificate) x509.generateCertificate(in);
        }
        assertThat(certificate.getEncoded()).isEqualTo(bundle.certificateDer());
        List<Certificate> chain;
        try (InputStream in = Files.newInputStream(dir.resolve("chain.pem"))) {
            chain = List.copyOf(x509.generateCertificates(in));
        }
        assertThat(chain).containsExactlyElementsOf(List.<Certificate>copyOf(pki.chain()));

        PrivateKey key = readPlainKey(dir.resolve("device.key.pem"), "EC");
        assertThat(TestPki.keyMatches(key, certificate)).as("key in bundle matches its certificate").isTrue();

        OpenSsl.run(dir, "x509", "-in", "device.crt.pem", "-noout");
        OpenSsl.run(dir, "pkey", "-in", "device.key.pem", "-noout");
        assertThat(OpenSsl.run(dir, "verify", "-CAfile", "chain.pem", "device.crt.pem")).contains("device.crt.pem: OK");
    }

    @Test
    void encryptedKeyIsPbes2AesAndOpenSslDecryptsItToTheKeyOfTheCertificate() throws Exception {
        DeviceBundle bundle = pki.device("dev-enc");
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(encrypted(false))) {
            writer.write(bundle);
        }
        Path dir = out.resolve("bundles/dev-enc");
        assertThat(Files.readString(dir.resolve("device.key.pem"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
        Path pass = TestPki.passphraseFile(out);

        OpenSsl.run(dir, "pkey", "-in", "device.key.pem", "-noout", "-passin", "file:" + pass);
        String params = OpenSsl.run(dir, "asn1parse", "-in", "device.key.pem");
        assertThat(params).contains("PBES2", "PBKDF2", "hmacWithSHA256", "aes-256-cbc");

        Path decrypted = out.resolve("decrypted.pem");
        OpenSsl.run(dir, "pkey", "-in", "device.key.pem", "-passin", "file:" + pass, "-out", decrypted.toString());
        assertThat(TestPki.keyMatches(readPlainKey(decrypted, "EC"), bundle.x509())).isTrue();
    }

    @Test
    void pkcs12OpensWithOpenSsl3WithoutLegacyAndWithTheJdkKeyStore() throws Exception {
        DeviceBundle bundle = pki.device("dev-p12");
        WrittenBundle written;
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(encrypted(true))) {
            written = writer.write(bundle);
        }
        Path dir = out.resolve("bundles/dev-p12");
        assertThat(written.files()).extracting(BundleFile::path).contains("bundles/dev-p12/device.p12");

        String info = OpenSsl.run(dir, "pkcs12", "-in", "device.p12", "-info", "-noout",
                "-passin", "file:" + TestPki.passphraseFile(out));
        assertThat(info).contains("MAC: sha256", "PBES2, PBKDF2, AES-256-CBC").doesNotContain("RC2", "3DES");

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("device.p12"))) {
            store.load(in, TestPki.PASSPHRASE);
        }
        assertThat(store.isKeyEntry("dev-p12")).isTrue();
        PrivateKey key = (PrivateKey) store.getKey("dev-p12", TestPki.PASSPHRASE);
        assertThat(TestPki.keyMatches(key, bundle.x509())).isTrue();
        assertThat(store.getCertificateChain("dev-p12"))
                .containsExactly(bundle.x509(), pki.chain().get(0), pki.chain().get(1));
    }

    @Test
    void oneRsaBundleWithPkcs12AndEncryptedKeyIsReadable() throws Exception {
        DeviceBundle bundle = pki.rsaDevice("dev-rsa");
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(encrypted(true))) {
            writer.write(bundle);
        }
        Path dir = out.resolve("bundles/dev-rsa");
        Path pass = TestPki.passphraseFile(out);
        OpenSsl.run(dir, "pkey", "-in", "device.key.pem", "-noout", "-passin", "file:" + pass);
        OpenSsl.run(dir, "pkcs12", "-in", "device.p12", "-info", "-noout", "-passin", "file:" + pass);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("device.p12"))) {
            store.load(in, TestPki.PASSPHRASE);
        }
        assertThat(TestPki.keyMatches((PrivateKey) store.getKey("dev-rsa", TestPki.PASSPHRASE), bundle.x509())).isTrue();
    }

    @Test
    void defaultIterationCountProducesFilesOpenSslReads() throws Exception {
        BundleOptions options = new BundleOptions(out, Optional.of(TestPki.PASSPHRASE.clone()), true);
        assertThat(options.pbkdf2Iterations()).isEqualTo(BundleOptions.DEFAULT_PBKDF2_ITERATIONS);
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(options)) {
            writer.write(pki.device("dev-default"));
        }
        Path dir = out.resolve("bundles/dev-default");
        Path pass = TestPki.passphraseFile(out);
        OpenSsl.run(dir, "pkey", "-in", "device.key.pem", "-noout", "-passin", "file:" + pass);
        assertThat(OpenSsl.run(dir, "pkcs12", "-in", "device.p12", "-info", "-noout", "-passin", "file:" + pass))
                .contains("Iteration 600000");
    }

    @Test
    void keyFilesAre0600CertificatesAre0644AndFoldersAre0700() throws Exception {
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(encrypted(true))) {
            writer.write(pki.device("dev-perm"));
        }
        Path dir = out.resolve("bundles/dev-perm");
        assertThat(mode(out.resolve("bundles"))).isEqualTo("rwx------");
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("device.key.pem"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("device.p12"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("device.crt.pem"))).isEqualTo("rw-r--r--");
        assertThat(mode(dir.resolve("chain.pem"))).isEqualTo("rw-r--r--");
    }

    @Test
    void sha256AndSizeInWrittenBundleMatchTheFilesOnDisk() throws Exception {
        WrittenBundle written;
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(encrypted(true))) {
            written = writer.write(pki.device("dev-sum"));
        }
        assertThat(written.files()).hasSize(4);
        for (BundleFile file : written.files()) {
            byte[] onDisk = Files.readAllBytes(out.resolve(file.path()));
            assertThat(file.size()).as(file.path()).isEqualTo(onDisk.length);
            assertThat(file.sha256()).as(file.path())
                    .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onDisk)));
        }
    }

    @Test
    void retryForTheSameDeviceReplacesEveryFileAndRemovesStaleOnes() throws Exception {
        DeviceBundle first = pki.device("dev-retry");
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(encrypted(true))) {
            writer.write(first);
        }
        Path dir = out.resolve("bundles/dev-retry");
        assertThat(dir.resolve("device.p12")).exists();

        DeviceBundle second = pki.device("dev-retry"); // a new key and certificate, as after a crash
        WrittenBundle written;
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(plain())) { // PKCS#12 now off
            written = writer.write(second);
        }

        assertThat(written.files()).extracting(BundleFile::path).noneMatch(p -> p.endsWith("device.p12"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("device.crt.pem", "device.key.pem", "chain.pem");
        }
        assertThat(Files.readString(dir.resolve("device.crt.pem"))).isEqualTo(new String(Pem.certificate(second.certificateDer())));
        PrivateKey key = readPlainKey(dir.resolve("device.key.pem"), "EC");
        assertThat(TestPki.keyMatches(key, second.x509())).isTrue();
        assertThat(TestPki.keyMatches(key, first.x509())).isFalse();
        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(stagingEntries()).isEmpty();
    }

    @Test
    void retryThroughTheSameWriterAlsoReplacesTheBundle() throws Exception {
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(plain())) {
            writer.write(pki.device("dev-again"));
            DeviceBundle second = pki.device("dev-again");
            writer.write(second);
            writer.makeDurable();
            PrivateKey key = readPlainKey(out.resolve("bundles/dev-again/device.key.pem"), "EC");
            assertThat(TestPki.keyMatches(key, second.x509())).isTrue();
        }
        assertThat(stagingEntries()).isEmpty();
    }

    @Test
    void bundleWithoutAKeyHoldsOnlyCertificateAndChainAndRemovesAnEarlierKey() throws Exception {
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(encrypted(true))) {
            writer.write(pki.device("dev-csr"));
            WrittenBundle written = writer.write(pki.deviceWithoutKey("dev-csr"));
            assertThat(written.files()).extracting(BundleFile::path)
                    .containsExactly("bundles/dev-csr/device.crt.pem", "bundles/dev-csr/chain.pem");
        }
        try (Stream<Path> files = Files.list(out.resolve("bundles/dev-csr"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("device.crt.pem", "chain.pem");
        }
    }

    @Test
    void deviceIdWithColonsIsWritten() throws Exception {
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(plain())) {
            WrittenBundle written = writer.write(pki.device("aa:bb:cc:dd:ee:ff"));
            assertThat(written.bundlePath()).isEqualTo("bundles/aa:bb:cc:dd:ee:ff");
        }
        Path dir = out.resolve("bundles").resolve("aa:bb:cc:dd:ee:ff");
        OpenSsl.run(dir, "verify", "-CAfile", "chain.pem", "device.crt.pem");
    }

    @Test
    void pathTraversalInADeviceIdIsRefusedBeforeAnythingIsWritten() {
        DeviceBundle valid = pki.device("dev-x");
        assertThatThrownBy(() -> new DeviceBundle("../x", valid.certificateDer(), null, valid.chain()))
                .isInstanceOf(BundleWriteException.class)
                .hasMessageContaining("[A-Za-z0-9:_-]{1,128}");
        assertThat(out.resolve("x")).doesNotExist();
    }

    @Test
    void aFileOrSymlinkWhereTheBundleFolderGoesIsRefusedAndNotFollowed() throws Exception {
        Path elsewhere = Files.createDirectory(out.resolve("elsewhere"));
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(plain())) {
            Files.createSymbolicLink(out.resolve("bundles/dev-link"), elsewhere);
            assertThatThrownBy(() -> writer.write(pki.device("dev-link")))
                    .isInstanceOf(BundleWriteException.class)
                    .hasMessageContaining("not a folder")
                    .satisfies(e -> assertThat(((BundleWriteException) e).deviceId()).contains("dev-link"));
        }
        try (Stream<Path> files = Files.list(elsewhere)) {
            assertThat(files).isEmpty();
        }
        assertThat(stagingEntries()).isEmpty();
    }

    @Test
    void writingLeavesNothingInStagingAndCleanStagingRemovesACrashedRunsLeftovers() throws Exception {
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(plain())) {
            writer.write(pki.device("dev-a"));
            writer.write(pki.device("dev-b"));
        }
        assertThat(stagingEntries()).isEmpty();

        Path staging = out.resolve("bundles/.staging");
        Path half = Files.createDirectory(staging.resolve("123-abc-7"));
        Files.writeString(half.resolve("device.key.pem"), "partial");
        Files.writeString(staging.resolve("123-abc-8.replaced"), "stray");
        assertThat(DirectoryBundleWriter.cleanStaging(out)).isEqualTo(2);
        assertThat(stagingEntries()).isEmpty();
        assertThat(out.resolve("bundles/dev-a/device.crt.pem")).exists();
    }

    @Test
    void cleanStagingOfAFreshOutputFolderRemovesNothing(@TempDir Path fresh) throws Exception {
        assertThat(DirectoryBundleWriter.cleanStaging(fresh)).isZero();
    }

    @Test
    void twoWritersOnTwoThreadsShareAnOutputFolder() throws Exception {
        List<DeviceBundle> left = List.of(pki.device("dev-l1"), pki.device("dev-l2"), pki.device("dev-l3"));
        List<DeviceBundle> right = List.of(pki.device("dev-r1"), pki.device("dev-r2"), pki.device("dev-r3"));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<WrittenBundle>>> results = threads.invokeAll(List.of(
                    () -> writeAll(left), () -> writeAll(right)));
            for (var result : results) {
                assertThat(result.get()).hasSize(3);
            }
        } finally {
            threads.shutdown();
        }
        try (Stream<Path> bundles = Files.list(out.resolve("bundles"))) {
            assertThat(bundles.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    ".staging", "dev-l1", "dev-l2", "dev-l3", "dev-r1", "dev-r2", "dev-r3");
        }
        assertThat(stagingEntries()).isEmpty();
    }

    private List<WrittenBundle> writeAll(List<DeviceBundle> bundles) throws Exception {
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(encrypted(true))) {
            List<WrittenBundle> written = new ArrayList<>();
            for (DeviceBundle bundle : bundles) {
                written.add(writer.write(bundle));
            }
            writer.makeDurable();
            return written;
        }
    }

    @ParameterizedTest
    @EnumSource(value = DurabilityMode.class, names = {"SYNCFS", "FORCE_EACH_FILE"})
    void makeDurableSucceedsWithEachStrategy(DurabilityMode mode) throws Exception {
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(plain().withDurability(mode))) {
            assertThat(writer.durability()).isInstanceOf(mode == DurabilityMode.SYNCFS ? SyncFs.class : ForceEachFile.class);
            for (int i = 0; i < 3; i++) {
                writer.write(pki.device("dev-d" + i));
            }
            writer.makeDurable();
            writer.write(pki.device("dev-d0"));
            writer.makeDurable();
            if (writer.durability() instanceof ForceEachFile forceEach) {
                assertThat(forceEach.pending()).isZero();
            }
        }
    }

    @Test
    void autoDurabilityUsesSyncFsOnLinux() throws Exception {
        try (DirectoryBundleWriter writer = new DirectoryBundleWriter(plain())) {
            if (System.getProperty("os.name").startsWith("Linux")) {
                assertThat(writer.durability()).isInstanceOf(SyncFs.class);
            } else {
                assertThat(writer.durability()).isInstanceOf(ForceEachFile.class);
            }
        }
    }

    @Test
    void writingAfterCloseIsRefused() throws Exception {
        DirectoryBundleWriter writer = new DirectoryBundleWriter(plain());
        writer.close();
        writer.close();
        assertThatThrownBy(() -> writer.write(pki.device("dev-late"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anOutputFolderWithoutPosixPermissionsIsRefused() throws Exception {
        URI zip = URI.create("jar:" + out.resolve("out.zip").toUri());
        try (FileSystem zipFs = FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
            BundleOptions options = new BundleOptions(zipFs.getPath("/run"), Optional.empty(), false);
            assertThatThrownBy(() -> new DirectoryBundleWriter(options))
                    .isInstanceOf(BundleWriteException.class)
                    .hasMessageContaining("without POSIX permissions");
        }
    }

    @Test
    void messagesAndToStringNeverShowTheKeyOrPassphrase() throws Exception {
        DeviceBundle bundle = pki.device("dev-secret");
        String keyBase64 = Base64.getEncoder().encodeToString(bundle.privateKey().getEncoded());
        BundleOptions options = encrypted(true);
        assertThat(bundle.toString()).doesNotContain(keyBase64.substring(0, 40)).contains("dev-secret", "held (EC)");
        assertThat(options.toString()).doesNotContain(new String(TestPki.PASSPHRASE)).contains("<redacted>");
    }

    private static PrivateKey readPlainKey(Path pem, String algorithm) throws Exception {
        String text = Files.readString(pem);
        assertThat(text).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        String body = text.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replace("\n", "");
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private List<Path> stagingEntries() throws Exception {
        try (Stream<Path> entries = Files.list(out.resolve("bundles/.staging"))) {
            return entries.toList();
        }
    }
}
