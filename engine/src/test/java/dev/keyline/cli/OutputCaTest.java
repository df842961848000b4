package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.job.OutputCa;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.testing.LedgerFile;
import dev.keyline.testing.Manifests;
import dev.keyline.testing.CommandOutput;

/** An output holds the devices of one CA: another CA is refused before any key, naming both. */
class OutputCaTest {

    @TempDir
    Path dir;
    Path passphrase;
    Path ca1;
    Path ca2;
    Path out;

    @BeforeEach
    void twoCas() throws IOException {
        passphrase = Files.writeString(dir.resolve("pass.txt"), "output-ca-test\n");
        ca1 = dir.resolve("ca1");
        ca2 = dir.resolve("ca2");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=First Device CA,O=Acme,C=US", "--out", ca1.toString(),
                "--passphrase-file", passphrase.toString())).isZero();
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Second Device CA,O=Acme,C=US", "--out", ca2.toString(),
                "--passphrase-file", passphrase.toString())).isZero();
        out = dir.resolve("run-1");
    }

    private CommandOutput run(Path manifest, Path ca) {
        return CommandOutput.run("run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(),
                "--passphrase-file", passphrase.toString(), "--no-progress");
    }

    @Test
    void anotherCaIsRefusedBeforeAnyKeyNamingBothCasAndTheFix() throws Exception {
        assertThat(run(Manifests.devices(dir, "first", 3), ca1).exitCode()).isZero();
        assertThat(settings().getProperty("ca-sha256")).isEqualTo(OutputCa.read(ca1).orElseThrow().sha256());

        CommandOutput refused = run(Manifests.devices(dir, "second", 3), ca2);

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("CN=First Device CA").contains(OutputCa.read(ca1).orElseThrow().sha256())
                .contains("CN=Second Device CA").contains(OutputCa.read(ca2).orElseThrow().sha256())
                .contains("use another --out");
        assertIssuedOnlyByTheFirstCa();
    }

    @Test
    void anOutputMadeBeforeTheRecordIsBoundToTheCaOfItsRuns() throws Exception {
        assertThat(run(Manifests.devices(dir, "first", 3), ca1).exitCode()).isZero();
        Properties settings = settings();
        settings.remove("ca-sha256");
        settings.remove("ca-subject");
        try (Writer w = Files.newBufferedWriter(out.resolve(".keyline/output.properties"))) {
            settings.store(w, null);
        }

        CommandOutput refused = run(Manifests.devices(dir, "second", 3), ca2);
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("CN=First Device CA").contains("CN=Second Device CA");
        assertIssuedOnlyByTheFirstCa();

        assertThat(run(Manifests.devices(dir, "more", 2), ca1).exitCode()).isZero();
        assertThat(settings().getProperty("ca-sha256")).isEqualTo(OutputCa.read(ca1).orElseThrow().sha256());
        assertThat(LedgerFile.certificateIds(out)).hasSize(5);
    }

    private void assertIssuedOnlyByTheFirstCa() throws Exception {
        Map<String, String> issued = LedgerFile.certificateIds(out);
        assertThat(issued.keySet()).allMatch(id -> !id.startsWith("second-"));
        X509Certificate root = IndependentVerifier.readCertificate(ca1.resolve("ca.crt.pem"));
        for (String device : issued.keySet()) {
            IndependentVerifier.validateWithJdk(IndependentVerifier.readCertificate(
                    out.resolve("bundles").resolve(device).resolve("device.crt.pem")), List.of(), root);
        }
        assertThat(out.resolve("bundles").resolve("second-0")).doesNotExist();
    }

    private Properties settings() throws IOException {
        Properties settings = new Properties();
        try (Reader in = Files.newBufferedReader(out.resolve(".keyline/output.properties"))) {
            settings.load(in);
        }
        return settings;
    }
}
