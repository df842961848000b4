package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.IndependentVerifier;
import dev.keyline.testing.CommandOutput;
import dev.keyline.testing.CliCa;

/** {@code run --manifest-format}, the name lint uses too, and {@code --format}, its deprecated old name. */
class RunManifestFormatTest {

    @TempDir
    Path dir;
    Path ca;
    Path passphrase;
    Path manifest;

    @BeforeEach
    void createCaAndAManifestWhoseNameSaysNoFormat() throws IOException {
        CliCa made = CliCa.create(dir);
        ca = made.folder();
        passphrase = made.passphraseFile();
        manifest = dir.resolve("devices.txt");
        Files.writeString(manifest, "device_id\nd-1\nd-2\n");
    }

    private CommandOutput run(Path out, String... format) {
        List<String> args = new java.util.ArrayList<>(List.of("run", manifest.toString(), "--ca", ca.toString(), "--out",
                out.toString(), "--passphrase-file", passphrase.toString(), "--no-progress"));
        args.addAll(List.of(format));
        return CommandOutput.run(args.toArray(String[]::new));
    }

    @Test
    void manifestFormatNamesTheManifestsFormat() throws Exception {
        Path out = dir.resolve("out");
        CommandOutput result = run(out, "--manifest-format", "csv");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).doesNotContain("deprecated");
        assertIssuedAndVerified(out, 2);
    }

    @Test
    void theOldNameStillWorksAndSaysItIsDeprecated() throws Exception {
        Path out = dir.resolve("out");
        CommandOutput result = run(out, "--format", "csv");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("run --format is deprecated").contains("use --manifest-format csv");
        assertIssuedAndVerified(out, 2);
    }

    @Test
    void bothNamesThatDisagreeAreAUsageError() {
        Path out = dir.resolve("out");
        CommandOutput result = run(out, "--manifest-format", "csv", "--format", "jsonl");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("give --manifest-format only");
        assertThat(out).doesNotExist();
    }

    /**
     * The fix a refusal names is an option of the command that refused: {@code --format} is lint's output format
     * and run's deprecated name, so neither message may send a user there.
     */
    @Test
    void aManifestWhoseFormatCannotBeToldNamesTheOptionThatSetsIt() {
        Path out = dir.resolve("out");
        CommandOutput unnamed = run(out);
        assertThat(unnamed.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unnamed.err()).contains("pass --manifest-format csv|jsonl").doesNotContain("pass --format");
        CommandOutput unknown = run(out, "--manifest-format", "xml");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("use --manifest-format csv or --manifest-format jsonl");
        CommandOutput lint = CommandOutput.run("lint", manifest.toString());
        assertThat(lint.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(lint.err()).contains("pass --manifest-format csv|jsonl");
        assertThat(out).doesNotExist();
    }

    private void assertIssuedAndVerified(Path out, int devices) throws IOException {
        X509Certificate root = IndependentVerifier.readCertificate(ca.resolve("ca.crt.pem"));
        try (Reader reader = Files.newBufferedReader(out.resolve("manifest.csv"))) {
            List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
            assertThat(rows).hasSize(devices);
            for (CSVRecord row : rows) {
                IndependentVerifier.validateWithJdk(
                        IndependentVerifier.readCertificate(out.resolve(row.get("bundle_path")).resolve("device.crt.pem")),
                        List.of(), root);
            }
        }
    }
}
