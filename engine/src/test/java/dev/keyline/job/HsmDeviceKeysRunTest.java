package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.cli.Keyline;
import dev.keyline.hsm.testing.SoftHsm;
import dev.keyline.testing.IndependentVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code keyline run --keys hsm} end to end against SoftHSM: device keys kept in the token (read back with
 * pkcs11-tool) or exported wrapped (unwrapped with Bouncy Castle and OpenSSL under a key the test imported), every
 * certificate checked with openssl verify and the JDK's validator, and the configuration errors that stop a run
 * before any key is made.
 */
@Tag("full")
class HsmDeviceKeysRunTest {

    private static final String WRAP_LABEL = "run-test-wrap";

    @TempDir
    static Path dir;
    static Path hsm;
    static Path softwareCa;
    static Path passphrase;
    static byte[] kek;

    @BeforeAll
    static void setUp() throws Exception {
        SoftHsm.get();
        kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        Path kekFile = dir.resolve("kek.bin");
        Files.write(kekFile, kek);
        SoftHsm.pkcs11Tool(SoftHsm.TOKEN, "--write-object", kekFile.toString(), "--type", "secrkey", "--key-type",
                "AES:32", "--label", WRAP_LABEL, "--id", "7711", "--usage-wrap");
        hsm = SoftHsm.writeConfig(dir, "device-keys", "token-label: " + SoftHsm.TOKEN, SoftHsm.USER_PIN);
        passphrase = dir.resolve("ca.pass");
        Files.writeString(passphrase, "hsm device keys test\n");
        softwareCa = dir.resolve("software-ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Software CA for HSM keys,O=Acme,C=US", "--out",
                softwareCa.toString(), "--passphrase-file", passphrase.toString())).isZero();
    }

    @Test
    void keptKeysAreTokenObjectsLabelledByDeviceIdAndTheBundleNamesThem() throws Exception {
        Path profile = profile("keep.yaml", "hsm-device-keys: keep\n");
        Path manifest = manifest("keep", 30, 2);
        Path out = dir.resolve("keep-run");
        assertThat(Keyline.execute("run", manifest.toString(), "--ca", softwareCa.toString(), "--out", out.toString(),
                "--passphrase-file", passphrase.toString(), "--profile", profile.toString(), "--keys", "hsm", "--hsm",
                hsm.toString(), "--threads", "2", "--chunk-size", "8", "--no-progress")).isZero();

        List<CSVRecord> rows = ProvisionRunTest.readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(32).allSatisfy(r -> assertThat(r.get("key_location")).isEqualTo("HSM"));
        Map<String, List<SoftHsm.ListedObject>> objects = HsmKeyChecks.keyObjectsByLabel(SoftHsm.TOKEN);
        List<Path> certificates = new ArrayList<>();
        for (CSVRecord row : rows) {
            String device = row.get("device_id");
            Path bundle = out.resolve(row.get("bundle_path"));
            assertThat(bundle.resolve("device.key.pem")).doesNotExist();
            assertThat(bundle.resolve("device.key.wrapped")).doesNotExist();
            X509Certificate certificate = IndependentVerifier.readCertificate(bundle.resolve("device.crt.pem"));
            IndependentVerifier.validateWithJdk(certificate, List.of(),
                    IndependentVerifier.readCertificate(softwareCa.resolve("ca.crt.pem")));
            certificates.add(bundle.resolve("device.crt.pem"));

            JsonNode reference = JsonMapper.builder().build().readTree(bundle.resolve("device.key.json").toFile());
            assertThat(reference.get("location").stringValue()).isEqualTo("pkcs11-token");
            assertThat(reference.get("token_label").stringValue()).isEqualTo(SoftHsm.TOKEN);
            assertThat(reference.get("key_label").stringValue()).isEqualTo(device);
            String ski = HsmKeyChecks.ski(certificate);
            assertThat(reference.get("key_id").stringValue()).isEqualTo(ski);

            // pkcs11-tool, not Keyline, reads the token: one pair per device, labelled by its id, identified by
            // the certificate's SKI, the private half sensitive and never extractable
            List<SoftHsm.ListedObject> pair = objects.get(device);
            assertThat(pair).as(device).hasSize(2).allSatisfy(o -> assertThat(o.id()).isEqualTo(ski));
            SoftHsm.ListedObject privateKey = pair.stream().filter(SoftHsm.ListedObject::isPrivateKey).findFirst().orElseThrow();
            assertThat(privateKey.access()).startsWith("sensitive, always sensitive, never extractable");
            assertThat(privateKey.usage()).isEqualTo("sign");
        }
        IndependentVerifier.verifyWithOpenSsl(softwareCa.resolve("ca.crt.pem"), null, certificates);
        for (String device : List.of("keep-0", "keep-29")) {
            X509Certificate certificate = IndependentVerifier.readCertificate(out.resolve("bundles").resolve(device)
                    .resolve("device.crt.pem"));
            HsmKeyChecks.assertTokenKeySignsFor(SoftHsm.TOKEN, device, HsmKeyChecks.ski(certificate), certificate, dir);
        }
        ProvisionRunTest.assertSha256SumsMatch(out);

        // Another output issuing the same device ids into the same token leaves the first output's keys alone.
        Path second = dir.resolve("keep-again");
        assertThat(Keyline.execute("run", manifest.toString(), "--ca", softwareCa.toString(), "--out", second.toString(),
                "--passphrase-file", passphrase.toString(), "--profile", profile.toString(), "--keys", "hsm", "--hsm",
                hsm.toString(), "--no-progress")).isZero();
        assertThat(ProvisionRunTest.readCsv(second.resolve("manifest.csv"))).isEmpty();
        List<CSVRecord> rejects = ProvisionRunTest.readCsv(second.resolve("rejects.csv"));
        assertThat(rejects).hasSize(32).allSatisfy(r -> assertThat(r.get("reason"))
                .contains("already holds a key labelled " + r.get("device_id")).contains("did not make"));
        Map<String, List<SoftHsm.ListedObject>> after = HsmKeyChecks.keyObjectsByLabel(SoftHsm.TOKEN);
        for (CSVRecord row : rows) {
            assertThat(after.get(row.get("device_id"))).isEqualTo(objects.get(row.get("device_id")));
        }
    }

    @Test
    void wrappedKeysLeaveNothingInTheTokenAndUnwrapToTheCertifiedKey() throws Exception {
        // The CA key is in the same token: without --hsm, device keys are made in the CA's token.
        Path hsmCa = dir.resolve("hsm-ca");
        assertThat(Keyline.execute("ca", "init", "--hsm", hsm.toString(), "--key-label", "wrap-test-ca",
                "--subject", "CN=HSM CA for wrapped keys,O=Acme,C=US", "--out", hsmCa.toString())).isZero();
        Path profile = profile("wrap.yaml", "hsm-device-keys: wrap\nhsm-wrapping-key: " + WRAP_LABEL + "\n");
        Path manifest = manifest("wrap", 20, 2);
        Path out = dir.resolve("wrap-run");
        assertThat(Keyline.execute("run", manifest.toString(), "--ca", hsmCa.toString(), "--out", out.toString(),
                "--profile", profile.toString(), "--keys", "hsm", "--threads", "2", "--no-progress")).isZero();

        List<CSVRecord> rows = ProvisionRunTest.readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(22).allSatisfy(r -> assertThat(r.get("key_location")).isEqualTo("WRAPPED"));
        Map<String, List<SoftHsm.ListedObject>> objects = HsmKeyChecks.keyObjectsByLabel(SoftHsm.TOKEN);
        List<Path> certificates = new ArrayList<>();
        X509Certificate root = IndependentVerifier.readCertificate(hsmCa.resolve("ca.crt.pem"));
        for (CSVRecord row : rows) {
            String device = row.get("device_id");
            assertThat(objects).as("nothing of " + device + " stays in the token").doesNotContainKey(device);
            Path bundle = out.resolve(row.get("bundle_path"));
            assertThat(bundle.resolve("device.key.pem")).doesNotExist();
            Path wrappedFile = bundle.resolve("device.key.wrapped");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wrappedFile))).isEqualTo("rw-------");
            X509Certificate certificate = IndependentVerifier.readCertificate(bundle.resolve("device.crt.pem"));
            IndependentVerifier.validateWithJdk(certificate, List.of(), root);
            certificates.add(bundle.resolve("device.crt.pem"));

            JsonNode reference = JsonMapper.builder().build().readTree(bundle.resolve("device.key.json").toFile());
            assertThat(reference.get("location").stringValue()).isEqualTo("wrapped");
            assertThat(reference.get("mechanism").stringValue()).isEqualTo("CKM_AES_KEY_WRAP_PAD");
            assertThat(reference.get("wrapping_key_label").stringValue()).isEqualTo(WRAP_LABEL);
            assertThat(reference.get("wrapped_key_file").stringValue()).isEqualTo("device.key.wrapped");
            byte[] wrapped = Files.readAllBytes(wrappedFile);
            assertThat(reference.get("wrapped_key_sha256").stringValue()).isEqualTo(ProvisionRunTest.sha256(wrapped));
            assertThat(reference.get("key_algorithm").stringValue()).isEqualTo(row.get("key_algorithm"));

            HsmKeyChecks.assertKeyBelongsTo(HsmKeyChecks.unwrapPkcs8(wrapped, kek), certificate);
        }
        IndependentVerifier.verifyWithOpenSsl(hsmCa.resolve("ca.crt.pem"), null, certificates);
        // OpenSSL's RFC 5649 (id-aes256-wrap-pad) unwraps a bundle's key too: the recipe the README gives.
        Path sample = out.resolve("bundles/wrap-0");
        Path pkcs8 = dir.resolve("wrap-0.pkcs8");
        IndependentVerifier.openssl("enc", "-d", "-id-aes256-wrap-pad", "-K", HexFormat.of().formatHex(kek), "-iv",
                "A65959A6", "-in", sample.resolve("device.key.wrapped").toString(), "-out", pkcs8.toString());
        String publicFromKey = IndependentVerifier.openssl("pkey", "-inform", "DER", "-in", pkcs8.toString(), "-pubout");
        String publicFromCertificate = IndependentVerifier.openssl("x509", "-in", sample.resolve("device.crt.pem").toString(),
                "-noout", "-pubkey");
        assertThat(publicFromKey.strip()).isEqualTo(publicFromCertificate.strip());
        ProvisionRunTest.assertSha256SumsMatch(out);
    }

    @Test
    void theArchiveLayoutCarriesTheSameKeyFiles() throws Exception {
        Path profile = profile("wrap-archive.yaml", "hsm-device-keys: wrap\nhsm-wrapping-key: " + WRAP_LABEL + "\n");
        Path out = dir.resolve("wrap-archive");
        assertThat(Keyline.execute("run", manifest("archived", 6, 0).toString(), "--ca", softwareCa.toString(), "--out",
                out.toString(), "--passphrase-file", passphrase.toString(), "--profile", profile.toString(), "--keys",
                "hsm", "--hsm", hsm.toString(), "--bundle-layout", "archive", "--threads", "1", "--no-progress")).isZero();

        Path extracted = dir.resolve("wrap-archive-extracted");
        List<CSVRecord> rows = ProvisionRunTest.readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(6);
        for (CSVRecord row : rows) {
            dev.keyline.testing.Tar.extract(out.resolve(row.get("bundle_path")), extracted);
            Path bundle = extracted.resolve(row.get("bundle_entry"));
            assertThat(bundle.resolve("device.key.pem")).doesNotExist();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(bundle.resolve("device.key.wrapped"))))
                    .isEqualTo("rw-------");
            X509Certificate certificate = IndependentVerifier.readCertificate(bundle.resolve("device.crt.pem"));
            IndependentVerifier.validateWithJdk(certificate, List.of(),
                    IndependentVerifier.readCertificate(softwareCa.resolve("ca.crt.pem")));
            var reference = JsonMapper.builder().build().readTree(bundle.resolve("device.key.json").toFile());
            assertThat(reference.get("location").stringValue()).isEqualTo("wrapped");
            // named in the reference in this layout too, which keeps no per-file sums
            assertThat(reference.get("wrapped_key_sha256").stringValue())
                    .isEqualTo(ProvisionRunTest.sha256(Files.readAllBytes(bundle.resolve("device.key.wrapped"))));
            HsmKeyChecks.assertKeyBelongsTo(HsmKeyChecks.unwrapPkcs8(Files.readAllBytes(bundle.resolve("device.key.wrapped")),
                    kek), certificate);
        }
        ProvisionRunTest.assertSha256SumsMatch(out);
    }

    @Test
    void configurationErrorsStopTheRunBeforeAnyKeyWithExitCodeTwo() throws Exception {
        Path manifest = manifest("bad", 3, 0);
        Path missingKey = profile("wrap-missing.yaml", "hsm-device-keys: wrap\nhsm-wrapping-key: no-such-kek\n");
        assertUsageError("no secret key labelled \"no-such-kek\"", "run", manifest.toString(), "--ca",
                softwareCa.toString(), "--out", dir.resolve("bad-1").toString(), "--passphrase-file", passphrase.toString(),
                "--profile", missingKey.toString(), "--keys", "hsm", "--hsm", hsm.toString());
        assertUsageError("--hsm FILE", "run", manifest.toString(), "--ca", softwareCa.toString(), "--out",
                dir.resolve("bad-2").toString(), "--passphrase-file", passphrase.toString(), "--keys", "hsm");
        assertUsageError("drop --pkcs12", "run", manifest.toString(), "--ca", softwareCa.toString(), "--out",
                dir.resolve("bad-3").toString(), "--passphrase-file", passphrase.toString(), "--keys", "hsm", "--hsm",
                hsm.toString(), "--pkcs12", "--bundle-passphrase-file", passphrase.toString());
        assertUsageError("hsm-wrapping-key is missing", "run", manifest.toString(), "--ca", softwareCa.toString(),
                "--out", dir.resolve("bad-4").toString(), "--passphrase-file", passphrase.toString(), "--profile",
                profile("wrap-no-label.yaml", "hsm-device-keys: wrap\n").toString(), "--keys", "hsm", "--hsm", hsm.toString());
        assertUsageError("use one of software, hsm", "run", manifest.toString(), "--ca", softwareCa.toString(), "--out",
                dir.resolve("bad-5").toString(), "--passphrase-file", passphrase.toString(), "--keys", "tpm");
        for (int i = 1; i <= 5; i++) {
            assertThat(dir.resolve("bad-" + i)).as("nothing was written").doesNotExist();
        }
        assertThat(HsmKeyChecks.keyObjectsByLabel(SoftHsm.TOKEN)).doesNotContainKeys("bad-0", "bad-1", "bad-2");
    }

    private static void assertUsageError(String expected, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = Keyline.execute(args);
        } finally {
            System.setErr(original);
        }
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(expected).doesNotContain(SoftHsm.USER_PIN);
    }

    private static Path profile(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** {@code ec} P-256 devices {@code prefix-0..}, then {@code rsa} RSA-2048 devices. */
    private static Path manifest(String prefix, int ec, int rsa) throws Exception {
        StringBuilder csv = new StringBuilder("device_id,organization,country,key\n");
        for (int i = 0; i < ec + rsa; i++) {
            csv.append(prefix).append('-').append(i).append(",Acme,US,").append(i < ec ? "ec-p256" : "rsa-2048").append('\n');
        }
        Path file = dir.resolve(prefix + ".csv");
        Files.writeString(file, csv);
        return file;
    }
}
