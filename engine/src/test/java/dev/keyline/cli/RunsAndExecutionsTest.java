package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.ChildKeyline;
import dev.keyline.testing.IssuedBundles;
import dev.keyline.testing.LedgerFile;
import dev.keyline.testing.Manifests;
import dev.keyline.testing.CommandOutput;

/**
 * One vocabulary: a run is the job instance, an execution one attempt at it; the console and status number both the
 * same way. An execution killed with SIGKILL shows as DIED, its duration up to its last committed chunk, before and
 * after the restart that recovers it.
 */
class RunsAndExecutionsTest {

    @TempDir
    Path dir;

    @Test
    void aKilledExecutionDiedAtItsLastCommitAndTheRestartIsTheSameRunsNextExecution() throws Exception {
        Path passphrase = Files.writeString(dir.resolve("pass.txt"), "vocabulary-test\n");
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Vocabulary CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", passphrase.toString())).isZero();
        Path manifest = Manifests.devices(dir, 2000);
        Path out = dir.resolve("out").toAbsolutePath();

        ChildKeyline child = ChildKeyline.start(dir.resolve("child.log"), "run", manifest.toString(), "--ca",
                ca.toString(), "--out", out.toString(), "--passphrase-file", passphrase.toString(), "--threads", "2",
                "--chunk-size", "40", "--no-progress");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (LedgerFile.identities(out) < 200) {
            assertThat(child.process().isAlive()).as("the run is still going").isTrue();
            assertThat(System.nanoTime()).as("200 devices committed in time").isLessThan(deadline);
            child.process().waitFor(50, TimeUnit.MILLISECONDS);
        }
        child.process().destroyForcibly();
        child.awaitExit(60);

        Execution killed = newestExecution(out);
        Duration toLastCommit = Duration.between(killed.started(), killed.lastStepUpdate());
        String[] before = statusRow(out, killed.id());
        assertThat(before[0]).as("RUN").isEqualTo(Long.toString(killed.run()));
        assertThat(before[2]).isEqualTo("DIED");
        assertThat(before[5]).as("DURATION").isEqualTo(ProgressDisplay.formatDuration(toLastCommit));

        CommandOutput restart = CommandOutput.run("restart", "--out", out.toString(), "--passphrase-file",
                passphrase.toString(), "--no-progress");
        assertThat(restart.exitCode()).as(restart.err()).isZero();
        long next = newestExecution(out).id();
        assertThat(restart.err()).contains("resuming run " + killed.run() + " (its execution " + killed.id() + " died)");
        assertThat(restart.out()).contains("Run " + killed.run() + " completed (execution " + next + ")");

        assertThat(endTime(out, killed.id())).as("recovered, it ended at its last commit, not at the restart")
                .isEqualTo(killed.lastStepUpdate());
        String[] after = statusRow(out, killed.id());
        assertThat(after[2]).isEqualTo("DIED");
        assertThat(after[5]).isEqualTo(ProgressDisplay.formatDuration(toLastCommit));
        String[] completed = statusRow(out, next);
        assertThat(completed[0]).as("the same run").isEqualTo(Long.toString(killed.run()));
        assertThat(completed[2]).isEqualTo("COMPLETED");

        Map<String, String> issued = LedgerFile.certificateIds(out);
        assertThat(issued).hasSize(2000);
        IssuedBundles.verify(out, ca, issued);
    }

    private record Execution(long id, long run, LocalDateTime started, LocalDateTime lastStepUpdate) {
    }

    private static Execution newestExecution(Path out) throws SQLException {
        try (Connection c = LedgerFile.open(out);
             ResultSet rs = c.createStatement().executeQuery("SELECT e.JOB_EXECUTION_ID, e.JOB_INSTANCE_ID, e.START_TIME, "
                     + "(SELECT MAX(s.LAST_UPDATED) FROM BATCH_STEP_EXECUTION s WHERE s.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID) "
                     + "FROM BATCH_JOB_EXECUTION e ORDER BY e.JOB_EXECUTION_ID DESC LIMIT 1")) {
            assertThat(rs.next()).isTrue();
            return new Execution(rs.getLong(1), rs.getLong(2), rs.getObject(3, LocalDateTime.class),
                    rs.getObject(4, LocalDateTime.class));
        }
    }

    private static LocalDateTime endTime(Path out, long execution) throws SQLException {
        try (Connection c = LedgerFile.open(out);
             ResultSet rs = c.createStatement().executeQuery("SELECT END_TIME FROM BATCH_JOB_EXECUTION WHERE "
                     + "JOB_EXECUTION_ID = " + execution)) {
            assertThat(rs.next()).isTrue();
            return rs.getObject(1, LocalDateTime.class);
        }
    }

    /** The execution's row of {@code keyline status}: RUN EXECUTION STATUS DATE TIME DURATION READ ... */
    private static String[] statusRow(Path out, long execution) {
        CommandOutput status = CommandOutput.run("status", "--out", out.toString());
        assertThat(status.exitCode()).isZero();
        List<String[]> rows = status.out().lines().map(line -> line.trim().split("\\s+"))
                .filter(cells -> cells.length > 5 && cells[1].equals(Long.toString(execution))).toList();
        assertThat(rows).as("one status row for execution %d in:%n%s", execution, status.out()).hasSize(1);
        return rows.get(0);
    }

}
