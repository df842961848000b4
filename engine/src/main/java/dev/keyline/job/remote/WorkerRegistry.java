package dev.keyline.job.remote;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The workers of remote runs and the partitions they hold, in the shared database: each worker's heartbeat (a counter
 * it raises every {@link Heartbeat#PERIOD}) and its claim on each partition it runs. The manager decides from these,
 * not from the broker, whether a partition's worker is alive; {@code keyline status} shows them.
 *
 * <p>Times are the database's clock ({@code CURRENT_TIMESTAMP}), the one clock all machines share; the manager's
 * liveness check needs none, since it watches the counter move on its own clock ({@link Liveness}). Each call is its
 * own transaction (auto-commit), outside any chunk's. Thread-safe.
 */
public final class WorkerRegistry {

    private final JdbcTemplate jdbc;

    public WorkerRegistry(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Creates the tables when missing; not on a database opened read-only. */
    public void createSchema() {
        Boolean readOnly = jdbc.execute((ConnectionCallback<Boolean>) c -> c.getMetaData().isReadOnly());
        if (Boolean.TRUE.equals(readOnly)) {
            return;
        }
        jdbc.execute("CREATE TABLE IF NOT EXISTS keyline_worker ("
                + " worker_id VARCHAR(64) NOT NULL PRIMARY KEY,"
                + " name VARCHAR(128) NOT NULL,"
                + " host VARCHAR(255) NOT NULL,"
                + " pid BIGINT NOT NULL,"
                + " threads INT NOT NULL,"
                + " queue VARCHAR(200) NOT NULL,"
                + " started_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                + " last_seen TIMESTAMP WITH TIME ZONE NOT NULL,"
                + " beats BIGINT NOT NULL,"
                + " stopped_at TIMESTAMP WITH TIME ZONE)");
        // One row per partition a worker took: kept after it ends, so status shows who ran what.
        jdbc.execute("CREATE TABLE IF NOT EXISTS keyline_partition_claim ("
                + " step_execution_id BIGINT NOT NULL PRIMARY KEY,"
                + " job_execution_id BIGINT NOT NULL,"
                + " worker_id VARCHAR(64) NOT NULL,"
                + " claimed_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                + " ended_at TIMESTAMP WITH TIME ZONE)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS keyline_partition_claim_job ON keyline_partition_claim (job_execution_id)");
        // The manager of each remote execution beats too, so its workers can tell when it is gone.
        jdbc.execute("CREATE TABLE IF NOT EXISTS keyline_manager ("
                + " job_execution_id BIGINT NOT NULL PRIMARY KEY,"
                + " host VARCHAR(255) NOT NULL,"
                + " pid BIGINT NOT NULL,"
                + " beats BIGINT NOT NULL,"
                + " last_seen TIMESTAMP WITH TIME ZONE NOT NULL)");
    }

    /** The manager of a remote execution is alive: raises its counter (creating its row on the first beat). */
    public void managerBeat(long jobExecutionId, String host, long pid) {
        if (jdbc.update("UPDATE keyline_manager SET beats = beats + 1, last_seen = CURRENT_TIMESTAMP, host = ?, pid = ?"
                + " WHERE job_execution_id = ?", host, pid, jobExecutionId) == 0) {
            try {
                jdbc.update("INSERT INTO keyline_manager (job_execution_id, host, pid, beats, last_seen)"
                        + " VALUES (?, ?, ?, 0, CURRENT_TIMESTAMP)", jobExecutionId, host, pid);
            } catch (DuplicateKeyException raced) {
                // another beat created it first
            }
        }
    }

    /**
     * How long the manager of an execution has been silent, by the database's clock (its beats are stamped with it
     * too, so no machine's clock enters); empty before its first beat.
     */
    public Optional<java.time.Duration> managerSilence(long jobExecutionId) {
        return jdbc.query("SELECT last_seen, CURRENT_TIMESTAMP FROM keyline_manager WHERE job_execution_id = ?",
                (rs, n) -> java.time.Duration.between(rs.getObject(1, OffsetDateTime.class),
                        rs.getObject(2, OffsetDateTime.class)), jobExecutionId).stream().findFirst();
    }

    public void register(WorkerIdentity worker) {
        jdbc.update("INSERT INTO keyline_worker (worker_id, name, host, pid, threads, queue, started_at, last_seen, beats)"
                + " VALUES (?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)", worker.id(), worker.name(),
                worker.host(), worker.pid(), worker.threads(), worker.queue());
    }

    /** @return false if the worker's row is gone (someone removed it): the worker should register again */
    public boolean beat(String workerId) {
        return jdbc.update("UPDATE keyline_worker SET beats = beats + 1, last_seen = CURRENT_TIMESTAMP WHERE worker_id = ?",
                workerId) == 1;
    }

    public void stopped(String workerId) {
        jdbc.update("UPDATE keyline_worker SET stopped_at = CURRENT_TIMESTAMP, last_seen = CURRENT_TIMESTAMP"
                + " WHERE worker_id = ?", workerId);
    }

    /**
     * Records that a worker runs this partition, before it starts it.
     *
     * @return false if another worker claimed it first (a request delivered twice): this one must not run it
     */
    public boolean claim(String workerId, long jobExecutionId, long stepExecutionId) {
        try {
            jdbc.update("INSERT INTO keyline_partition_claim (step_execution_id, job_execution_id, worker_id, claimed_at)"
                    + " VALUES (?, ?, ?, CURRENT_TIMESTAMP)", stepExecutionId, jobExecutionId, workerId);
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }

    public void released(long stepExecutionId) {
        jdbc.update("UPDATE keyline_partition_claim SET ended_at = CURRENT_TIMESTAMP WHERE step_execution_id = ?",
                stepExecutionId);
    }

    /** Workers not stopped, on any queue. */
    public List<WorkerRow> running() {
        return jdbc.query(SELECT_WORKER + " WHERE stopped_at IS NULL", WorkerRegistry::worker);
    }

    /** Workers seen (a heartbeat) in the last {@code seconds}, stopped or not, newest first. */
    public List<WorkerRow> seenWithin(long seconds) {
        OffsetDateTime now = jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", OffsetDateTime.class);
        return jdbc.query(SELECT_WORKER + " WHERE last_seen >= ? ORDER BY last_seen DESC", WorkerRegistry::worker,
                now.minusSeconds(seconds));
    }

    public Optional<WorkerRow> worker(String workerId) {
        return jdbc.query(SELECT_WORKER + " WHERE worker_id = ?", WorkerRegistry::worker, workerId).stream().findFirst();
    }

    /** The claims on an execution's partitions, with their workers. */
    public List<Claim> claims(long jobExecutionId) {
        return jdbc.query("SELECT c.step_execution_id, c.worker_id, c.claimed_at, c.ended_at FROM keyline_partition_claim c"
                + " WHERE c.job_execution_id = ?", (rs, n) -> new Claim(rs.getLong(1), rs.getString(2),
                rs.getObject(3, OffsetDateTime.class), Optional.ofNullable(rs.getObject(4, OffsetDateTime.class))),
                jobExecutionId);
    }

    private static final String SELECT_WORKER = "SELECT worker_id, name, host, pid, threads, queue, started_at, last_seen,"
            + " beats, stopped_at, CURRENT_TIMESTAMP FROM keyline_worker";

    private static WorkerRow worker(ResultSet rs, int n) throws SQLException {
        return new WorkerRow(new WorkerIdentity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                rs.getInt(5), rs.getString(6)), rs.getObject(7, OffsetDateTime.class),
                rs.getObject(8, OffsetDateTime.class), rs.getLong(9),
                Optional.ofNullable(rs.getObject(10, OffsetDateTime.class)), rs.getObject(11, OffsetDateTime.class));
    }

    /**
     * A worker as its row says.
     *
     * @param beats   its heartbeat counter
     * @param readAt  the database's time when the row was read, to tell how long ago it was seen
     */
    public record WorkerRow(WorkerIdentity identity, OffsetDateTime started, OffsetDateTime lastSeen, long beats,
                            Optional<OffsetDateTime> stopped, OffsetDateTime readAt) {

        public long secondsSinceSeen() {
            return Math.max(0, java.time.Duration.between(lastSeen, readAt).toSeconds());
        }
    }

    /** A worker's claim on a partition (a step execution); {@code ended} once it returned it. */
    public record Claim(long stepExecutionId, String workerId, OffsetDateTime claimed, Optional<OffsetDateTime> ended) {
    }
}
