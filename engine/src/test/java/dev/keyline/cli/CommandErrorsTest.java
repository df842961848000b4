package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.keyline.testing.CommandOutput;

/**
 * How a command that cannot go on ends, through the real CLI: a configuration error and a refused input are exit 2
 * with the problem and the fix and nothing made; a failure is exit 1 with its cause and where the details are.
 */
class CommandErrorsTest {

    @TempDir
    Path dir;

    @Test
    void anUnknownOptionValueIsAConfigurationErrorListingTheAcceptedValues() throws Exception {
        Path manifest = Files.writeString(dir.resolve("m.csv"), "device_id\ndev-1\n");
        Path out = dir.resolve("out");
        CommandOutput result = CommandOutput.run("run", manifest.toString(), "--ca", dir.resolve("ca").toString(),
                "--out", out.toString(), "--bundle-layout", "zip", "--no-progress");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("unknown bundle layout \"zip\": use one of dir, archive")
                .doesNotContain("details in the log file").doesNotContain("\tat ");
        assertThat(out).doesNotExist();
    }

    @Test
    void aRefusedSubjectIsExitTwoNamingTheValueAndNothingIsMade() {
        Path ca = dir.resolve("ca");
        CommandOutput result = CommandOutput.run("ca", "init", "--subject", "CN=Acme Device CA,C=USA", "--out",
                ca.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("USA").doesNotContain("\tat ");
        assertThat(ca).doesNotExist();
    }

    @Test
    void aValidityPastTheYear9999IsAConfigurationErrorNotAFailure() {
        Path ca = dir.resolve("ca");
        CommandOutput result = CommandOutput.run("ca", "init", "--subject", "CN=Acme Device CA", "--out", ca.toString(),
                "--validity-days", "4000000");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--validity-days 4000000").contains("9999");
        assertThat(ca).doesNotExist();
    }

    @Test
    void aDamagedLedgerIsAFailureWithItsCauseAndWhereTheDetailsAre() throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve(".keyline"));
        Files.writeString(out.resolve(".keyline/output.properties"), "output-id=9c7e1d2a-0000-4000-8000-000000000001\n");
        Files.writeString(out.resolve(".keyline/ledger.mv.db"), "not an H2 file: the disk lost the ledger's pages\n".repeat(200));
        CommandOutput result = CommandOutput.run("status", "--out", out.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.err()).startsWith("keyline: ").contains("details in the log file").doesNotContain("\tat ");
    }
}
