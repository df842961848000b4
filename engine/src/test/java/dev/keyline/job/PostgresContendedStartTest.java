package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.CliCa;
import dev.keyline.testing.CommandOutput;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.testing.Manifests;
import dev.keyline.testing.PostgresSchema;

/**
 * Two starts on one PostgreSQL at the same moment: Spring Batch creates the job instance in a SERIALIZABLE
 * transaction, and PostgreSQL cancels one of two such transactions that read and insert on the same pages (as two
 * managers starting their runs at once did in CI: "could not serialize access due to read/write dependencies among
 * transactions ... Canceled on identification as a pivot, during write"). The start that lost is tried again and its
 * run completes.
 *
 * <p>The other start is played by this test's own serializable transaction, ordered by locks rather than by time: it
 * reads the job instances and holds a SHARE lock on their table, so the run's transaction reads them too and then
 * waits to insert its instance. The test sees it waiting in {@code pg_locks}, inserts an instance of its own and
 * commits; the run's insert goes on and PostgreSQL cancels it, every time.
 */
@Tag("full")
class PostgresContendedStartTest {

    @TempDir
    Path dir;

    @Test
    void aStartCanceledByAnotherStartsSerializableTransactionIsTriedAgainAndItsRunCompletes() throws Exception {
        try (PostgresSchema schema = PostgresSchema.create("keyline")) {
            startCanceledOnce(schema);
        }
    }

    private void startCanceledOnce(PostgresSchema schema) throws Exception {
        CliCa ca = CliCa.create(dir);
        // The first run creates the job repository's tables.
        assertThat(run(schema, ca, Manifests.devices(dir, "line1", 20), dir.resolve("out1")).exitCode()).isZero();

        Path out = dir.resolve("out2");
        CompletableFuture<CommandOutput> second;
        try (Connection other = DriverManager.getConnection(schema.url("other-start"))) {
            other.setAutoCommit(false);
            other.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            try (Statement s = other.createStatement()) {
                s.execute("LOCK TABLE batch_job_instance IN SHARE MODE");
                s.executeQuery("SELECT COUNT(*) FROM batch_job_instance WHERE job_name = 'provisionJob'").close();
            }
            Path manifest = Manifests.devices(dir, "line2", 300);
            second = CompletableFuture.supplyAsync(() -> run(schema, ca, manifest, out));
            awaitAnInsertWaitingForTheLock(schema, second);
            try (Statement s = other.createStatement()) {
                s.executeUpdate("INSERT INTO batch_job_instance (job_instance_id, job_name, job_key, version)"
                        + " VALUES (nextval('batch_job_instance_seq'), 'otherJob', 'other-key', 0)");
            }
            other.commit();
        }
        CommandOutput result = second.get(5, TimeUnit.MINUTES);

        assertThat(result.exitCode()).as(result.err()).isZero();
        String log = Files.readString(out.resolve(".keyline/keyline.log"));
        assertThat(log).as("the first attempt was canceled by PostgreSQL and tried again")
                .contains("the job repository canceled the start of the run because another start used the same tables")
                .contains("could not serialize access").contains("attempt 2 of " + ContendedStart.ATTEMPTS);
        assertThat(result.err()).doesNotContain("could not start").doesNotContain("\tat ");
        List<CSVRecord> rows = ProvisionRunTest.readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(300).allMatch(r -> r.get("device_id").startsWith("line2-"));
        try (Connection c = DriverManager.getConnection(schema.url());
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*), COUNT(DISTINCT device_id) FROM "
                     + "device_identity WHERE device_id LIKE 'line2-%'")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(300);
            assertThat(rs.getLong(2)).isEqualTo(300);
        }
        IndependentVerifier.verifyWithOpenSsl(ca.folder().resolve("ca.crt.pem"), null, rows.stream()
                .map(r -> out.resolve(r.get("bundle_path")).resolve("device.crt.pem")).toList());
    }

    private static CommandOutput run(PostgresSchema schema, CliCa ca, Path manifest, Path out) {
        return CommandOutput.run("run", manifest.toString(), "--ca", ca.folder().toString(), "--out", out.toString(),
                "--db", schema.url("keyline-run"), "--passphrase-file", ca.passphraseFile().toString(),
                "--threads", "2", "--no-progress");
    }

    /** Until the run's transaction waits for this test's lock: a state, not a time (the bound only ends a hang). */
    private static void awaitAnInsertWaitingForTheLock(PostgresSchema schema, CompletableFuture<CommandOutput> run)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        try (Connection c = DriverManager.getConnection(PostgresSchema.SERVER);
             PreparedStatement waiting = c.prepareStatement("SELECT COUNT(*) FROM pg_locks l"
                     + " JOIN pg_class t ON t.oid = l.relation JOIN pg_namespace n ON n.oid = t.relnamespace"
                     + " WHERE NOT l.granted AND t.relname = 'batch_job_instance' AND n.nspname = ?")) {
            waiting.setString(1, schema.name());
            while (true) {
                try (ResultSet rs = waiting.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
                if (run.isDone()) {
                    throw new AssertionError("the run ended without waiting for the lock: " + run.get().err());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the run never waited for the lock on batch_job_instance");
                }
                Thread.sleep(20);
            }
        }
    }
}
