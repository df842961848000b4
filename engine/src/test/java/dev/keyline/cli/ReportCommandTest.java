package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.CliCa;
import dev.keyline.testing.CommandOutput;
import dev.keyline.testing.LedgerSql;

/** report.html of failed runs, and {@code keyline report} rebuilding it, also for an output made before it existed. */
class ReportCommandTest {

    private static final String HEADER = "device_id,organization,country\n";

    @TempDir
    Path dir;
    CliCa ca;

    @BeforeEach
    void setUp() throws Exception {
        ca = CliCa.create(dir);
    }

    @Test
    void aFailedRunWritesItsReportWithTheFailureAndTheRestartCommand() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= 30; i++) {
            csv.append("dev-").append(i).append(i % 2 == 0 ? ",Acme,DE\n" : ",Acme,XX\n");
        }
        Path out = dir.resolve("out");

        CommandOutput failed = run(Files.writeString(dir.resolve("devices.csv"), csv), out, "--skip-limit", "3");

        assertThat(failed.exitCode()).as(failed.err()).isEqualTo(1);
        Path report = out.toAbsolutePath().normalize().resolve("report.html");
        assertThat(failed.err()).contains("run report:      " + report);
        String page = Files.readString(report);
        assertThat(figure(page, "status")).isEqualTo("FAILED");
        assertThat(figure(page, "failure")).contains("rejected, more than --skip-limit 3 allows");
        assertThat(figure(page, "resume")).isEqualTo("keyline restart --out " + out.toAbsolutePath().normalize());
        assertThat(number(page, "issued")).isEqualTo(LedgerSql.number(out, "SELECT COUNT(*) FROM device_identity"));
        assertThat(number(page, "rejected")).isEqualTo(LedgerSql.number(out, "SELECT COUNT(*) FROM device_reject"))
                .isPositive();
        assertThat(number(page, "reject-INVALID_ROW")).isEqualTo(number(page, "rejected"));
        assertThat(page).contains("Run 1, execution 1");

        CommandOutput restart = CommandOutput.run("restart", "--out", out.toString(), "--passphrase-file",
                ca.passphraseFile().toString(), "--no-progress");
        assertThat(restart.exitCode()).as(restart.err()).isEqualTo(1);
        assertThat(restart.err()).contains("run report:      " + report);
        String restarted = Files.readString(report);
        assertThat(restarted).contains("Run 1, execution 2");
        assertThat(figure(restarted, "status")).isEqualTo("FAILED");
        assertThat(figure(restarted, "command")).startsWith("keyline restart --out ");

        CommandOutput rebuilt = CommandOutput.run("report", "--out", out.toString(), "--execution", "1");
        assertThat(rebuilt.exitCode()).as(rebuilt.err()).isZero();
        assertThat(Files.readString(report)).contains("Run 1, execution 1").doesNotContain("Run 1, execution 2");
    }

    @Test
    void keylineReportRebuildsThePageOfAnOutputMadeBeforeTheReportExisted() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= 40; i++) {
            csv.append("dev-").append(i).append(i == 5 || i == 9 ? ",Acme,XX\n" : ",Acme,DE\n");
        }
        Path out = dir.resolve("out");
        CommandOutput first = run(Files.writeString(dir.resolve("devices.csv"), csv), out);
        assertThat(first.exitCode()).as(first.err()).isZero();
        // What an output of an earlier version holds: no chunk rows, no call counts, no reason codes, no report, no
        // numbered schema version.
        LedgerSql.execute(out, "DROP TABLE chunk_commit", "DROP TABLE registration_call",
                "ALTER TABLE device_reject DROP COLUMN reason_code", "DROP TABLE keyline_schema_version");
        Files.delete(out.resolve("report.html"));

        CommandOutput report = CommandOutput.run("report", "--out", out.toString());

        assertThat(report.exitCode()).as(report.err()).isZero();
        assertThat(report.out()).contains("Wrote " + out.toAbsolutePath().normalize().resolve("report.html"));
        String page = Files.readString(out.resolve("report.html"));
        assertThat(figure(page, "status")).isEqualTo("COMPLETED");
        assertThat(number(page, "issued")).isEqualTo(38);
        assertThat(number(page, "rejected")).isEqualTo(2);
        assertThat(number(page, "reject-UNRECORDED")).isEqualTo(2);
        assertThat(page).contains("(before reason codes)").contains("\"x\":[]");
        assertThat(LedgerSql.number(out, "SELECT COUNT(*) FROM chunk_commit")).as("the table is back, empty").isZero();
    }

    @Test
    void anExecutionOfAnotherOutputIsExitTwoNamingStatus() throws Exception {
        Path out = dir.resolve("out");
        CommandOutput first = run(Files.writeString(dir.resolve("devices.csv"), HEADER + "dev-1,Acme,DE\n"), out);
        assertThat(first.exitCode()).as(first.err()).isZero();

        CommandOutput report = CommandOutput.run("report", "--out", out.toString(), "--execution", "999");

        assertThat(report.exitCode()).as(report.err()).isEqualTo(2);
        assertThat(report.err()).contains("execution 999 did not write into").contains("keyline status --out");
    }

    private CommandOutput run(Path manifest, Path out, String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", manifest.toString(), "--ca",
                ca.folder().toString(), "--out", out.toString(), "--passphrase-file", ca.passphraseFile().toString(),
                "--no-progress", "--threads", "1", "--chunk-size", "5"));
        args.addAll(java.util.List.of(extra));
        return CommandOutput.run(args.toArray(String[]::new));
    }

    /** The text of the element the page marks {@code data-k="key"}, HTML entities of quotes and brackets undone. */
    static String figure(String page, String key) {
        Matcher m = Pattern.compile("data-k=\"" + Pattern.quote(key) + "\"[^>]*>([^<]*)<").matcher(page);
        assertThat(m.find()).as("an element data-k=%s", key).isTrue();
        return m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    static long number(String page, String key) {
        return Long.parseLong(figure(page, key).replace(",", ""));
    }
}
