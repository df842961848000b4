package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.cli.Keyline;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.testing.Tar;
import dev.keyline.testing.CliCa;

/** The whole pipeline through the real CLI, on the embedded default (H2 file database, software keys). */
class ProvisionRunTest {

    @TempDir
    Path dir;
    Path ca;
    Path passphrase;

    @BeforeEach
    void createCa() throws IOException {
        CliCa made = CliCa.create(dir);
        ca = made.folder();
        passphrase = made.passphraseFile();
    }

    static Path manifest(Path dir, int devices) throws IOException {
        StringBuilder csv = new StringBuilder("device_id,organization,country,san_dns,key\n");
        for (int i = 0; i < devices; i++) {
            csv.append("dev-").append(i).append(",Acme,US,");
            if (i % 7 == 0) {
                csv.append("dev-").append(i).append(".example.com");
            }
            csv.append(',').append(i % 50 == 3 ? "ec-p384" : "").append('\n');
        }
        Path file = dir.resolve("manifest-" + devices + ".csv");
        Files.writeString(file, csv);
        return file;
    }

    private int run(Path manifest, Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", manifest.toString(), "--ca", ca.toString(),
                "--out", out.toString(), "--passphrase-file", passphrase.toString(), "--no-progress"));
        args.addAll(List.of(extra));
        return Keyline.execute(args.toArray(String[]::new));
    }

    @Test
    void issuesEveryDeviceWithVerifiableCertificatesBundlesAndOutputManifest() throws Exception {
        Path out = dir.resolve("out");
        assertThat(run(manifest(dir, 120), out, "--threads", "2", "--chunk-size", "25")).isZero();

        List<CSVRecord> rows = readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(120);
        assertThat(rows.stream().map(r -> r.get("device_id")).distinct()).hasSize(120);
        X509Certificate root = IndependentVerifier.readCertificate(ca.resolve("ca.crt.pem"));
        List<Path> pems = new java.util.ArrayList<>();
        for (CSVRecord row : rows) {
            Path bundle = out.resolve(row.get("bundle_path"));
            Path certPem = bundle.resolve("device.crt.pem");
            X509Certificate cert = IndependentVerifier.readCertificate(certPem);
            pems.add(certPem);
            IndependentVerifier.validateWithJdk(cert, List.of(), root);
            assertThat(sha256(cert.getEncoded())).isEqualTo(row.get("certificate_id"));
            assertThat(cert.getSerialNumber().toString(16)).isEqualTo(row.get("serial"));
            assertThat(cert.getSubjectX500Principal().getName()).contains("CN=" + row.get("device_id"));
            assertKeyMatches(bundle.resolve("device.key.pem"), cert);
            assertThat(Files.getPosixFilePermissions(bundle.resolve("device.key.pem")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(row.get("key_algorithm")).isEqualTo(cert.getPublicKey().getAlgorithm().startsWith("EC")
                    ? row.get("key_algorithm") : "unexpected");
        }
        IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, pems);
        // OpenSSL reads the key file and finds it is the certificate's key.
        Path firstBundle = out.resolve(rows.get(0).get("bundle_path"));
        String keyPub = IndependentVerifier.openssl("pkey", "-in", firstBundle.resolve("device.key.pem").toString(), "-pubout");
        String certPub = IndependentVerifier.openssl("x509", "-in", firstBundle.resolve("device.crt.pem").toString(),
                "-noout", "-pubkey");
        assertThat(keyPub).isEqualTo(certPub);
        assertThat(rows.stream().filter(r -> r.get("key_algorithm").equals("ec-p384"))).hasSize(3);
        assertThat(Files.readAllLines(out.resolve("manifest.jsonl"))).hasSize(120);
        assertSha256SumsMatch(out);
        assertThat(readCsv(out.resolve("rejects.csv"))).isEmpty();
    }

    @Test
    void theArchiveLayoutWritesAnArchivePerChunkThatTheManifestAndSha256SumsName() throws Exception {
        Path out = dir.resolve("out");
        Path bundlePassphrase = dir.resolve("bundle-pass.txt");
        Files.writeString(bundlePassphrase, "bundle secret\n");
        assertThat(run(manifest(dir, 120), out, "--threads", "2", "--chunk-size", "25", "--bundle-layout", "archive",
                "--bundle-passphrase-file", bundlePassphrase.toString(), "--pkcs12")).isZero();

        List<CSVRecord> rows = readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(120);
        List<Path> archives;
        try (Stream<Path> files = Files.list(out.resolve("bundles"))) {
            archives = files.filter(Files::isRegularFile).sorted().toList();
        }
        // 120 devices in chunks of 25 over two partitions of 60: three chunks each.
        assertThat(archives).hasSize(6).allSatisfy(a -> assertThat(a.getFileName().toString()).endsWith(".tar"));
        assertSha256SumsMatch(out);
        assertThat(Files.readAllLines(out.resolve("SHA256SUMS"))).hasSize(6);

        Path extracted = dir.resolve("extracted");
        archives.forEach(a -> Tar.extract(a, extracted));
        X509Certificate root = IndependentVerifier.readCertificate(ca.resolve("ca.crt.pem"));
        List<Path> pems = new java.util.ArrayList<>();
        for (CSVRecord row : rows) {
            assertThat(row.get("bundle_entry")).isEqualTo(row.get("device_id") + "/");
            assertThat(Tar.list(out.resolve(row.get("bundle_path")))).contains(row.get("bundle_entry") + "device.p12");
            Path bundle = extracted.resolve(row.get("bundle_entry"));
            X509Certificate cert = IndependentVerifier.readCertificate(bundle.resolve("device.crt.pem"));
            IndependentVerifier.validateWithJdk(cert, List.of(), root);
            assertThat(sha256(cert.getEncoded())).isEqualTo(row.get("certificate_id"));
            assertThat(Files.getPosixFilePermissions(bundle.resolve("device.key.pem")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            pems.add(bundle.resolve("device.crt.pem"));
        }
        IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, pems);
        // The key inside the archive is encrypted; OpenSSL opens it with the passphrase and finds the certificate's key.
        Path first = extracted.resolve(rows.get(0).get("bundle_entry"));
        assertThat(Files.readString(first.resolve("device.key.pem"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        String keyPub = IndependentVerifier.openssl("pkey", "-in", first.resolve("device.key.pem").toString(),
                "-passin", "file:" + bundlePassphrase, "-pubout");
        String certPub = IndependentVerifier.openssl("x509", "-in", first.resolve("device.crt.pem").toString(),
                "-noout", "-pubkey");
        assertThat(keyPub).isEqualTo(certPub);
    }

    @Test
    void anEmbeddedLedgerOfMostlyDeadPagesIsCompactedWhenTheRunEnds() throws Exception {
        Path out = dir.resolve("out");
        // Small chunks: many commits, each appending new pages H2 does not reclaim while the run writes (28% live).
        assertThat(run(manifest(dir, 1000), out, "--threads", "2", "--chunk-size", "10")).isZero();
        Path file = out.resolve(".keyline/ledger.mv.db");
        long afterRun = Files.size(file);
        // Closing the pool's connection after the shutdown once made every run log a failed compaction.
        assertThat(Files.readString(out.resolve(".keyline/keyline.log"))).isNotBlank().doesNotContain("could not compact")
                .contains("compacting the ledger: ").doesNotContain("the ledger is not compacted");
        assertThat(out.resolve(".keyline/ledger.trace.db")).as("H2's error trace").doesNotExist();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                "jdbc:h2:file:" + out.resolve(".keyline/ledger").toAbsolutePath(), "sa", "")) {
            c.createStatement().execute("SHUTDOWN COMPACT");
        }
        long fullyCompacted = Files.size(file);
        assertThat(afterRun).as("ledger size after the run (%d bytes) against a full compaction (%d bytes)", afterRun,
                fullyCompacted).isLessThan(fullyCompacted * 3 / 2);
    }

    @Test
    void issuesFromJsonLinesUnderAnIntermediateCaWithTheChainInEachBundle() throws Exception {
        Path intermediate = dir.resolve("intermediate");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Test Issuing CA,O=Acme,C=US", "--key", "ec-p384",
                "--issuer", ca.toString(), "--out", intermediate.toString(), "--passphrase-file", passphrase.toString()))
                .isZero();
        Path manifest = dir.resolve("m.jsonl");
        Files.writeString(manifest, String.join("\n",
                "{\"device_id\":\"j-1\",\"organization\":\"Acme\",\"country\":\"DE\",\"san_dns\":[\"j-1.example\"]}",
                "{\"device_id\":\"j-2\",\"subject\":\"CN=j-2,O=Acme\\\\, Inc.,C=US\",\"key\":\"rsa-2048\"}",
                "{\"device_id\":\"j-3\",\"common_name\":\"Ger\u00e4t Z\u00fcrich 7\"}") + "\n");
        Path out = dir.resolve("out");

        assertThat(Keyline.execute("run", manifest.toString(), "--ca", intermediate.toString(), "--out", out.toString(),
                "--passphrase-file", passphrase.toString(), "--no-progress")).isZero();

        X509Certificate root = IndependentVerifier.readCertificate(ca.resolve("ca.crt.pem"));
        X509Certificate issuing = IndependentVerifier.readCertificate(intermediate.resolve("ca.crt.pem"));
        List<CSVRecord> rows = readCsv(out.resolve("manifest.csv"));
        assertThat(rows).extracting(r -> r.get("device_id")).containsExactly("j-1", "j-2", "j-3");
        for (CSVRecord row : rows) {
            Path bundle = out.resolve(row.get("bundle_path"));
            X509Certificate cert = IndependentVerifier.readCertificate(bundle.resolve("device.crt.pem"));
            IndependentVerifier.validateWithJdk(cert, List.of(issuing), root);
            IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), bundle.resolve("chain.pem"),
                    List.of(bundle.resolve("device.crt.pem")));
            assertKeyMatches(bundle.resolve("device.key.pem"), cert);
        }
        X509Certificate j2 = IndependentVerifier.readCertificate(out.resolve("bundles/j-2/device.crt.pem"));
        assertThat(j2.getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(j2.getSubjectX500Principal().getName()).isEqualTo("CN=j-2,O=Acme\\, Inc.,C=US");
        X509Certificate j3 = IndependentVerifier.readCertificate(out.resolve("bundles/j-3/device.crt.pem"));
        assertThat(j3.getSubjectX500Principal().getName()).isEqualTo("CN=Ger\u00e4t Z\u00fcrich 7");
    }

    @Test
    void everyCryptoProviderIssuesVerifiableBundles() throws Exception {
        for (String provider : List.of("bc", "accp", "jdk")) {
            Path out = dir.resolve("out-" + provider);
            assertThat(run(manifest(dir, 12), out, "--crypto-provider", provider, "--threads", "2")).as(provider).isZero();
            List<CSVRecord> rows = readCsv(out.resolve("manifest.csv"));
            assertThat(rows).hasSize(12);
            List<Path> pems = new java.util.ArrayList<>();
            for (CSVRecord row : rows) {
                Path bundle = out.resolve(row.get("bundle_path"));
                pems.add(bundle.resolve("device.crt.pem"));
                assertKeyMatches(bundle.resolve("device.key.pem"),
                        IndependentVerifier.readCertificate(bundle.resolve("device.crt.pem")));
            }
            IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, pems);
        }
    }

    @Test
    void badRowsGoToRejectsWithLineNumbersAndTheRestIsIssued() throws Exception {
        Path manifest = dir.resolve("bad.csv");
        Files.writeString(manifest, String.join("\n",
                "device_id,common_name,country,key",
                "ok-1,ok-1,US,",
                "bad id,x,US,",
                "ok-2,ok-2,US,rsa-1024",
                "ok-1,again,US,",
                "ok-3," + "c".repeat(65) + ",US,",
                "ok-4,ok-4,USA,",
                "ok-5,thingC=US,,",
                "ok-6,ok-6,DE,ec-p384",
                "x".repeat(129) + ",y,US,",
                "ok-7,ok-7,US,,extra") + "\n");
        Path out = dir.resolve("out");

        assertThat(run(manifest, out)).isZero();

        Map<String, CSVRecord> rejects = readCsv(out.resolve("rejects.csv")).stream()
                .collect(Collectors.toMap(r -> r.get("line"), r -> r));
        assertThat(rejects).containsOnlyKeys("3", "4", "5", "6", "7", "8", "10", "11");
        assertThat(rejects.get("3").get("reason")).contains("device_id 'bad id' has a space");
        assertThat(rejects.get("4").get("reason")).contains("rsa-1024");
        assertThat(rejects.get("5").get("reason")).contains("already appears on line 2");
        assertThat(rejects.get("6").get("reason")).contains("64");
        assertThat(rejects.get("7").get("reason")).contains("USA").contains("US");
        assertThat(rejects.get("8").get("reason")).contains("C=US");
        assertThat(rejects.get("10").get("reason")).contains("128");
        assertThat(rejects.get("11").get("reason")).contains("fields but the header has");
        assertThat(readCsv(out.resolve("manifest.csv"))).extracting(r -> r.get("device_id"))
                .containsExactly("ok-1", "ok-6");
        assertThat(Files.exists(out.resolve("bundles/ok-2"))).isFalse();
    }

    @Test
    void skipLimitStopsTheRunWithExitCodeOne() throws Exception {
        Path manifest = dir.resolve("bad.csv");
        StringBuilder csv = new StringBuilder("device_id,country\n");
        for (int i = 0; i < 40; i++) {
            csv.append("d-").append(i).append(i % 2 == 0 ? ",US\n" : ",XX\n");
        }
        Files.writeString(manifest, csv);
        assertThat(run(manifest, dir.resolve("out"), "--skip-limit", "5", "--chunk-size", "4", "--threads", "1"))
                .isEqualTo(1);
        assertThat(readCsv(dir.resolve("out/rejects.csv")).size()).isLessThanOrEqualTo(5);
    }

    @Test
    void runningTheSameManifestAgainIssuesNothingTwice() throws Exception {
        Path manifest = manifest(dir, 30);
        Path out = dir.resolve("out");
        assertThat(run(manifest, out)).isZero();
        String first = Files.readString(out.resolve("manifest.csv"));

        assertThat(run(manifest, out)).isZero();
        assertThat(Files.readString(out.resolve("manifest.csv"))).isEqualTo(first);

        // The same devices in a changed manifest: a new run, which skips every device the output holds.
        Files.writeString(manifest, Files.readString(manifest) + "dev-new,Acme,US,,\n");
        assertThat(run(manifest, out)).isZero();
        List<CSVRecord> rows = readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(31);
        assertThat(Files.readString(out.resolve("manifest.csv"))).startsWith(first.strip().split("\n")[0]);
        assertThat(rows.stream().filter(r -> first.contains(r.get("certificate_id")))).hasSize(30);
        assertThat(readCsv(out.resolve("rejects.csv"))).as("held devices are skipped, not rejected").isEmpty();
    }

    @Test
    void configurationErrorsStopBeforeAnyKeyIsMadeWithExitCodeTwo() throws Exception {
        Path manifest = manifest(dir, 5);
        Path wrong = dir.resolve("wrong.txt");
        Files.writeString(wrong, "not the passphrase\n");

        assertThat(Keyline.execute("run", manifest.toString(), "--ca", ca.toString(), "--out", dir.resolve("o1").toString(),
                "--passphrase-file", wrong.toString())).isEqualTo(2);
        assertThat(Keyline.execute("run", manifest.toString(), "--ca", dir.resolve("nope").toString(), "--out",
                dir.resolve("o2").toString(), "--passphrase-file", passphrase.toString())).isEqualTo(2);
        Path unknownColumn = dir.resolve("u.csv");
        Files.writeString(unknownColumn, "device_id,colour\na,red\n");
        assertThat(run(unknownColumn, dir.resolve("o3"))).isEqualTo(2);
        assertThat(run(manifest, dir.resolve("o4"), "--key", "dsa-1024")).isEqualTo(2);

        for (String o : List.of("o1", "o2", "o3", "o4")) {
            assertThat(Files.exists(dir.resolve(o))).as("%s: nothing written", o).isFalse();
        }
    }

    @Test
    void statusListsTheRunAndRestartSaysNothingIsLeft() throws Exception {
        Path out = dir.resolve("out");
        assertThat(run(manifest(dir, 10), out)).isZero();
        assertThat(Keyline.execute("status", "--out", out.toString())).isZero();
        assertThat(Keyline.execute("restart", "--out", out.toString(), "--passphrase-file", passphrase.toString()))
                .isEqualTo(2);
    }

    static List<CSVRecord> readCsv(Path file) throws IOException {
        try (var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(file))) {
            return parser.getRecords();
        }
    }

    static void assertKeyMatches(Path keyPem, X509Certificate cert) throws Exception {
        String pem = Files.readString(keyPem, StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        HsmKeyChecks.assertKeyBelongsTo(der, cert, "key in " + keyPem + " matches its certificate");
    }

    static void assertSha256SumsMatch(Path out) throws Exception {
        List<String> lines = Files.readAllLines(out.resolve("SHA256SUMS"));
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            String[] parts = line.split("  ", 2);
            assertThat(sha256(Files.readAllBytes(out.resolve(parts[1])))).as(parts[1]).isEqualTo(parts[0]);
        }
        try (Stream<Path> files = Files.walk(out.resolve("bundles"))) {
            long onDisk = files.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/.staging")).count();
            assertThat(onDisk).isEqualTo(lines.size());
        }
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
