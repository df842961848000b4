package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.cli.Keyline;
import dev.keyline.testing.Csrs;
import dev.keyline.testing.IndependentVerifier;

/**
 * Devices that made their own key send a CSR (manifest column csr): proof of possession checked, key type and
 * size checked, a key seen before refused, no key file in the bundle. CSRs here are made by the real openssl.
 */
class CsrRunTest {

    @TempDir
    Path dir;
    Path ca;
    Path pass;

    @BeforeEach
    void createCa() throws Exception {
        pass = dir.resolve("pass");
        Files.writeString(pass, "csr test\n");
        ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=CSR Test CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", pass.toString())).isZero();
    }

    private String csr(String name, String newKey, String subject) {
        return csr(dir, name, newKey, subject);
    }

    /** As {@link Csrs#csr}; kept for the tests that call it with the class's folder. */
    static String csr(Path dir, String name, String newKey, String subject) {
        return Csrs.csr(dir, name, newKey, subject);
    }

    private static String base64Der(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(body));
    }

    @Test
    void certifiesGoodCsrsAndRejectsBadSignaturesWeakKeysAndReusedKeys() throws Exception {
        String good = csr("good", "ec", "/CN=whatever-the-device-said");
        String goodRsa = csr("rsa", "rsa:2048", "/CN=rsa-device");
        String weak = csr("weak", "rsa:1024", "/CN=weak");
        String tampered = tamper(csr("tampered", "ec", "/CN=tampered"));
        Path manifest = dir.resolve("m.csv");
        try (CSVPrinter csv = new CSVPrinter(Files.newBufferedWriter(manifest),
                CSVFormat.RFC4180.builder().setHeader("device_id", "organization", "country", "csr").get())) {
            csv.printRecord("c-good", "Acme", "US", good);                 // PEM, multi-line quoted field
            csv.printRecord("c-rsa", "Acme", "US", base64Der(goodRsa));    // base64 DER on one line
            csv.printRecord("c-weak", "Acme", "US", weak);
            csv.printRecord("c-tampered", "Acme", "US", tampered);
            csv.printRecord("c-copy", "Acme", "US", good);                 // the same key as c-good
            csv.printRecord("c-junk", "Acme", "US", "not a csr");
            csv.printRecord("k-made", "Acme", "US", "");                   // no CSR: Keyline makes the key
        }
        Path out = dir.resolve("out");
        assertThat(Keyline.execute("run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(),
                "--passphrase-file", pass.toString(), "--threads", "1", "--no-progress")).isZero();

        Map<String, CSVRecord> issued = ProvisionRunTest.readCsv(out.resolve("manifest.csv")).stream()
                .collect(Collectors.toMap(r -> r.get("device_id"), r -> r));
        assertThat(issued).containsOnlyKeys("c-good", "c-rsa", "k-made");
        Map<String, String> rejected = ProvisionRunTest.readCsv(out.resolve("rejects.csv")).stream()
                .collect(Collectors.toMap(r -> r.get("device_id"), r -> r.get("reason")));
        assertThat(rejected.get("c-weak")).contains("RSA-1024").contains("2048");
        assertThat(rejected.get("c-tampered")).contains("proof of possession");
        assertThat(rejected.get("c-copy")).contains("same as another device's");
        assertThat(rejected.get("c-junk")).contains("not a PKCS#10 certificate signing request");

        for (String device : List.of("c-good", "c-rsa")) {
            Path bundle = out.resolve(issued.get(device).get("bundle_path"));
            assertThat(Files.exists(bundle.resolve("device.key.pem"))).as("the key stays on the device").isFalse();
            Path cert = bundle.resolve("device.crt.pem");
            IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, List.of(cert));
            String certKey = IndependentVerifier.openssl("x509", "-in", cert.toString(), "-noout", "-pubkey");
            String csrKey = IndependentVerifier.openssl("req", "-in", dir.resolve(device.equals("c-good") ? "good.csr"
                    : "rsa.csr").toString(), "-noout", "-pubkey");
            assertThat(certKey).as("certified the CSR's key").isEqualTo(csrKey);
            // csr-subject: manifest (the default): the manifest names the device, not the request.
            assertThat(IndependentVerifier.readCertificate(cert).getSubjectX500Principal().getName())
                    .isEqualTo("CN=" + device + ",O=Acme,C=US");
        }

        // A second output in the same database? Here: the same output, a new run with the same key again.
        Path again = dir.resolve("again.csv");
        try (CSVPrinter csv = new CSVPrinter(Files.newBufferedWriter(again),
                CSVFormat.RFC4180.builder().setHeader("device_id", "csr").get())) {
            csv.printRecord("c-later", good);
        }
        assertThat(Keyline.execute("run", again.toString(), "--ca", ca.toString(), "--out", out.toString(),
                "--passphrase-file", pass.toString(), "--no-progress")).isZero();
        assertThat(Files.readString(out.resolve("rejects.csv"))).contains("c-later")
                .contains("already has a certificate in the ledger (device c-good)");
    }

    @Test
    void theProfileCanTakeTheSubjectFromTheCsr() throws Exception {
        String request = csr("subj", "ec", "/C=DE/O=Device Made/CN=sensor-7");
        Path profile = dir.resolve("profile.yaml");
        Files.writeString(profile, "csr-subject: csr\n");
        Path manifest = dir.resolve("m.csv");
        try (CSVPrinter csv = new CSVPrinter(Files.newBufferedWriter(manifest),
                CSVFormat.RFC4180.builder().setHeader("device_id", "csr").get())) {
            csv.printRecord("d-1", request);
        }
        Path out = dir.resolve("out");
        assertThat(Keyline.execute("run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(),
                "--profile", profile.toString(), "--passphrase-file", pass.toString(), "--no-progress")).isZero();
        Path cert = out.resolve("bundles/d-1/device.crt.pem");
        assertThat(IndependentVerifier.readCertificate(cert).getSubjectX500Principal().getName())
                .isEqualTo("CN=sensor-7,O=Device Made,C=DE");
        IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, List.of(cert));
    }

    /** Flips one bit of the signature (the CSR's last bytes), so the request no longer verifies. */
    private static String tamper(String pem) {
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        der[der.length - 3] ^= 0x01;
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }
}
