package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.CliCa;
import dev.keyline.testing.CommandOutput;
import dev.keyline.testing.LedgerSql;

/**
 * Commands on an output whose ledger is not at this Keyline's schema version: an earlier one is read as it is by
 * {@code status} (read-only) and brought up to date by a command that writes; a newer one stops every command with
 * exit 2 before it reads or writes anything.
 */
class LedgerSchemaCommandTest {

    private static final String VERSION_TABLE_COUNT =
            "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'KEYLINE_SCHEMA_VERSION'";

    @TempDir
    Path dir;
    Path out;

    @BeforeEach
    void issueAnOutput() throws Exception {
        CliCa ca = CliCa.create(dir);
        Path manifest = Files.writeString(dir.resolve("devices.csv"),
                "device_id,organization,country\ndev-1,Acme,DE\ndev-2,Acme,XX\ndev-3,Acme,FR\n");
        out = dir.resolve("out");
        CommandOutput run = CommandOutput.run("run", manifest.toString(), "--ca", ca.folder().toString(), "--out",
                out.toString(), "--passphrase-file", ca.passphraseFile().toString(), "--no-progress", "--threads", "1");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void statusReadsAnEarlierLedgerAsItIsAndSaysSoAndTheNextWritingCommandUpgradesIt() throws Exception {
        LedgerSql.execute(out, "DROP TABLE keyline_schema_version"); // what a ledger of an earlier Keyline lacks

        CommandOutput status = CommandOutput.run("status", "--out", out.toString());

        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.err()).contains("keyline: note: the ledger was written by an earlier Keyline")
                .contains("opened read-only");
        assertThat(status.out()).containsPattern("COMPLETED .* 2 +1 ");
        assertThat(LedgerSql.number(out, VERSION_TABLE_COUNT)).as("read-only: not migrated").isZero();

        CommandOutput report = CommandOutput.run("report", "--out", out.toString());

        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(LedgerSql.number(out, "SELECT MAX(version) FROM keyline_schema_version")).isEqualTo(1);
        assertThat(CommandOutput.run("status", "--out", out.toString()).err()).doesNotContain("note:");
    }

    @Test
    void aLedgerOfANewerKeylineStopsEachCommandWithExitTwoNamingTheVersions() throws Exception {
        LedgerSql.execute(out, "INSERT INTO keyline_schema_version (version, description, applied_at)"
                + " VALUES (99, 'newer', CURRENT_TIMESTAMP)");

        for (String command : new String[] {"status", "report"}) {
            CommandOutput refused = CommandOutput.run(command, "--out", out.toString());

            assertThat(refused.exitCode()).as(command + ": " + refused.err()).isEqualTo(2);
            assertThat(refused.err()).as(command).contains("the ledger is at schema version 99")
                    .contains("this Keyline knows (up to version 1)").contains("Use that Keyline")
                    .doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(LedgerSql.number(out, "SELECT COUNT(*) FROM keyline_schema_version")).isEqualTo(2);
    }
}
