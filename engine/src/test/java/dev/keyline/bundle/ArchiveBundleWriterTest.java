package dev.keyline.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.Tar;

class ArchiveBundleWriterTest {

    private final TestPki pki = new TestPki();

    @TempDir
    Path out;

    @TempDir
    Path elsewhere;

    private BundleOptions options(Path folder) {
        return new BundleOptions(folder, Optional.empty(), false).withPbkdf2Iterations(BundleOptions.MIN_PBKDF2_ITERATIONS)
                .withLayout(BundleLayout.ARCHIVE);
    }

    @Test
    void aChunkBecomesOneArchiveNamedAfterItsFirstDeviceHoldingTheDirLayoutsFilesAndModes() throws Exception {
        List<DeviceBundle> devices = List.of(pki.device("dev-1"), pki.rsaDevice("dev-2"), pki.deviceWithoutKey("dev-3"));
        List<WrittenBundle> written = new java.util.ArrayList<>();
        List<BundleFile> published;
        try (BundleWriter writer = BundleLayout.ARCHIVE.open(options(out))) {
            for (DeviceBundle device : devices) {
                written.add(writer.write(device));
            }
            assertThat(out.resolve("bundles/dev-1.tar")).as("not published before the chunk commits").doesNotExist();
            published = writer.makeDurable();
        }
        Path archive = out.resolve("bundles/dev-1.tar");
        assertThat(written).extracting(WrittenBundle::bundlePath).containsOnly("bundles/dev-1.tar");
        assertThat(published).singleElement().satisfies(file -> {
            assertThat(file.path()).isEqualTo("bundles/dev-1.tar");
            assertThat(file.sha256()).isEqualTo(sha256(Files.readAllBytes(archive)));
            assertThat(file.size()).isEqualTo(Files.size(archive));
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(archive))).isEqualTo("rw-------");

        assertThat(Tar.list(archive)).containsExactly(
                "dev-1/", "dev-1/device.crt.pem", "dev-1/device.key.pem", "dev-1/chain.pem",
                "dev-2/", "dev-2/device.crt.pem", "dev-2/device.key.pem", "dev-2/chain.pem",
                "dev-3/", "dev-3/device.crt.pem", "dev-3/chain.pem");

        // The chain once per archive: the later devices' chain.pem are hard links to the first device's.
        assertThat(Tar.listVerbose(archive)).filteredOn(line -> line.contains("chain.pem")).satisfiesExactly(
                first -> assertThat(first).startsWith("-rw-r--r--").endsWith(" dev-1/chain.pem"),
                second -> assertThat(second).startsWith("hrw-r--r--").endsWith(" dev-2/chain.pem link to dev-1/chain.pem"),
                third -> assertThat(third).startsWith("hrw-r--r--").endsWith(" dev-3/chain.pem link to dev-1/chain.pem"));

        // The same bundles through the dir layout: extracting the archive must give the same bytes and modes.
        try (BundleWriter dir = BundleLayout.DIR.open(options(elsewhere).withLayout(BundleLayout.DIR))) {
            for (DeviceBundle device : devices) {
                dir.write(device);
            }
            dir.makeDurable();
        }
        Path extracted = out.resolve("extracted");
        Tar.extract(archive, extracted);
        for (String device : List.of("dev-1", "dev-2", "dev-3")) {
            Path fromArchive = extracted.resolve(device);
            Path fromDir = elsewhere.resolve("bundles").resolve(device);
            assertThat(mode(fromArchive)).as(device).isEqualTo("rwx------").isEqualTo(mode(fromDir));
            try (Stream<Path> files = Files.list(fromDir)) {
                for (Path file : files.toList()) {
                    Path twin = fromArchive.resolve(file.getFileName());
                    assertThat(twin).as("%s in the archive", file).exists();
                    assertThat(mode(twin)).as("%s mode", twin).isEqualTo(mode(file));
                    if (!file.getFileName().toString().equals(BundleEncoder.KEY_FILE)) {
                        assertThat(Files.readAllBytes(twin)).isEqualTo(Files.readAllBytes(file));
                    }
                }
            }
        }
        // The key in the archive is the device's key (the dir writer above wrote the same key, unencrypted).
        assertThat(Files.readAllBytes(extracted.resolve("dev-1/device.key.pem")))
                .isEqualTo(Files.readAllBytes(elsewhere.resolve("bundles/dev-1/device.key.pem")));
        assertThat(OpenSsl.run(extracted, "verify", "-CAfile", writePem(pki.root()).toString(), "-untrusted",
                "dev-1/chain.pem", "dev-1/device.crt.pem")).contains("OK");

        // No per-file sums: SHA256SUMS lists the archive, whose digest makeDurable returned (above).
        assertThat(written).allSatisfy(bundle -> assertThat(bundle.files()).isEmpty());
        assertThat(stagingLeftovers()).isEmpty();
    }

    @Test
    void eachChunkHasItsOwnArchiveAndAChunkWithoutDevicesNone() throws Exception {
        try (BundleWriter writer = BundleLayout.ARCHIVE.open(options(out))) {
            assertThat(writer.makeDurable()).isEmpty();
            writer.write(pki.device("a-1"));
            writer.write(pki.device("a-2"));
            assertThat(writer.makeDurable()).extracting(BundleFile::path).containsExactly("bundles/a-1.tar");
            writer.write(pki.device("b-1"));
            assertThat(writer.makeDurable()).extracting(BundleFile::path).containsExactly("bundles/b-1.tar");
        }
        assertThat(Tar.list(out.resolve("bundles/b-1.tar"))).containsExactly("b-1/", "b-1/device.crt.pem",
                "b-1/device.key.pem", "b-1/chain.pem");
    }

    @Test
    void anArchiveWhoseChunkNeverCommitsIsDiscardedOnClose() throws Exception {
        try (BundleWriter writer = BundleLayout.ARCHIVE.open(options(out))) {
            writer.write(pki.device("lost-1"));
        }
        try (Stream<Path> entries = Files.list(out.resolve("bundles"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(".staging");
        }
        assertThat(stagingLeftovers()).isEmpty();
    }

    @Test
    void aLongDeviceIdKeepsItsFullNameInTheArchive() throws Exception {
        String id = "d".repeat(128);
        try (BundleWriter writer = BundleLayout.ARCHIVE.open(options(out))) {
            writer.write(pki.device(id));
            writer.makeDurable();
        }
        assertThat(Tar.list(out.resolve("bundles/" + id + ".tar"))).contains(id + "/device.key.pem");
    }

    @Test
    void removeUnrecordedDeletesOnlyArchivesTheLedgerDoesNotHold() throws Exception {
        try (BundleWriter writer = BundleLayout.ARCHIVE.open(options(out))) {
            writer.write(pki.device("kept"));
            writer.makeDurable();
            writer.write(pki.device("orphan"));
            writer.makeDurable();
        }
        Files.createDirectories(out.resolve("bundles/not-an-archive"));
        int removed = ArchiveBundleWriter.removeUnrecorded(out, Set.of("bundles/kept.tar"));
        assertThat(removed).isEqualTo(1);
        assertThat(out.resolve("bundles/kept.tar")).exists();
        assertThat(out.resolve("bundles/orphan.tar")).doesNotExist();
        assertThat(out.resolve("bundles/not-an-archive")).isDirectory();
    }

    private List<Path> stagingLeftovers() throws Exception {
        try (Stream<Path> files = Files.walk(out.resolve("bundles/.staging"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private Path writePem(java.security.cert.X509Certificate certificate) throws Exception {
        Path file = elsewhere.resolve("root.pem");
        Files.write(file, Pem.certificate(certificate.getEncoded()));
        return file;
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
