package dev.keyline.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ledger's record of bulk registration tasks ({@code registration_task}) and of the device on each line of
 * their input files ({@code registration_task_line}): what makes a task restartable exactly once. Writes join the
 * caller's transaction, like {@link Ledger}'s. Thread-safe.
 */
public final class RegistrationTasks {

    private static final int MAX_MESSAGE = 2000;

    private final JdbcTemplate jdbc;

    public RegistrationTasks(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Creates the tables when missing, as {@link Ledger#createSchema()} does; nothing on a read-only ledger. */
    public void createSchema() {
        Boolean readOnly = jdbc.execute((ConnectionCallback<Boolean>) c -> c.getMetaData().isReadOnly());
        if (Boolean.TRUE.equals(readOnly)) {
            return;
        }
        try (InputStream in = RegistrationTasks.class.getResourceAsStream("registration-tasks.sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String statement : sql.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!statement.isBlank()) {
                    jdbc.execute(statement.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the registration task schema", e);
        }
    }

    /** The next batch number of the target: one above the highest it has. */
    public int nextBatch(String outputId, String target) {
        Integer max = jdbc.queryForObject("SELECT MAX(batch) FROM registration_task WHERE output_id = ? AND target = ?",
                Integer.class, outputId, target);
        return max == null ? 1 : max + 1;
    }

    /**
     * Records a task before anything is uploaded or started: the task, and the device on each of its input lines
     * ({@code deviceIds.get(0)} is line 1).
     */
    public void prepare(RegistrationTask task, List<String> deviceIds, Instant now) {
        if (task.state() != RegistrationTask.State.PREPARED || deviceIds.size() != task.lineCount()) {
            throw new IllegalArgumentException("a task is prepared with its lines: " + task);
        }
        jdbc.update("INSERT INTO registration_task (output_id, target, batch, job_instance_id, account, input_bucket, input_key,"
                        + " line_count, last_device_id, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                task.outputId(), task.target(), task.batch(), task.jobInstanceId(), task.account(), task.inputBucket(),
                task.inputKey(), task.lineCount(), task.lastDeviceId(), task.state().name(), utc(now), utc(now));
        jdbc.batchUpdate("INSERT INTO registration_task_line (output_id, target, batch, line_number, device_id) VALUES (?, ?, ?, ?, ?)",
                java.util.stream.IntStream.rangeClosed(1, deviceIds.size()).boxed().toList(), 1000, (ps, line) -> {
                    ps.setString(1, task.outputId());
                    ps.setString(2, task.target());
                    ps.setInt(3, task.batch());
                    ps.setInt(4, line);
                    ps.setString(5, deviceIds.get(line - 1));
                });
    }

    /** AWS answered StartThingRegistrationTask (or the task was found by its input file): the task is STARTED. */
    public void started(String outputId, String target, int batch, String taskId, Instant now) {
        update("UPDATE registration_task SET task_id = ?, state = 'STARTED', updated_at = ? WHERE output_id = ? AND target = ?"
                + " AND batch = ? AND state = 'PREPARED'", taskId, utc(now), outputId, target, batch);
    }

    /** The task ended and its outcomes are recorded (in the same transaction as this). */
    public void ended(String outputId, String target, int batch, String awsStatus, Optional<String> message, Instant now) {
        update("UPDATE registration_task SET state = 'ENDED', aws_status = ?, message = ?, updated_at = ? WHERE output_id = ?"
                + " AND target = ? AND batch = ? AND state = 'STARTED'", awsStatus,
                message.map(m -> m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) : m).orElse(null), utc(now),
                outputId, target, batch);
    }

    /** A PREPARED task that was never started (no task has its input file): forgotten, its devices are pending again. */
    public void forget(String outputId, String target, int batch) {
        jdbc.update("DELETE FROM registration_task_line WHERE output_id = ? AND target = ? AND batch = ?", outputId, target, batch);
        update("DELETE FROM registration_task WHERE output_id = ? AND target = ? AND batch = ? AND state = 'PREPARED'",
                outputId, target, batch);
    }

    private void update(String sql, Object... args) {
        int n = jdbc.update(sql, args);
        if (n != 1) {
            throw new IllegalStateException("registration task not in the expected state (" + n + " rows): " + sql);
        }
    }

    /** The target's tasks that have not ENDED, oldest first (at most one, unless the ledger was edited). */
    public List<RegistrationTask> unfinished(String outputId, String target) {
        return jdbc.query("SELECT * FROM registration_task WHERE output_id = ? AND target = ? AND state <> 'ENDED' ORDER BY batch",
                (rs, n) -> task(rs), outputId, target);
    }

    /** Every task of the output, by target and batch. */
    public List<RegistrationTask> all(String outputId) {
        return jdbc.query("SELECT * FROM registration_task WHERE output_id = ? ORDER BY target, batch", (rs, n) -> task(rs), outputId);
    }

    /**
     * Where the register run's next task of the target starts: after the highest device id its tasks hold (a
     * device that a task of this run failed waits for the next run, so one run never sends it twice).
     */
    public Optional<String> lastDeviceSent(String outputId, String target, long jobInstanceId) {
        return Optional.ofNullable(jdbc.queryForObject("SELECT MAX(last_device_id) FROM registration_task WHERE output_id = ?"
                + " AND target = ? AND job_instance_id = ?", String.class, outputId, target, jobInstanceId));
    }

    /** The device on one input line, with its certificate id, which a RESULTS line must name. */
    public record Line(String deviceId, String certificateId) {
    }

    /** Line number (from 1) to its device, for every line of the task. */
    public Map<Integer, Line> lines(String outputId, String target, int batch) {
        Map<Integer, Line> lines = new HashMap<>();
        jdbc.query("SELECT l.line_number, l.device_id, d.certificate_id FROM registration_task_line l JOIN device_identity d"
                        + " ON d.output_id = l.output_id AND d.device_id = l.device_id"
                        + " WHERE l.output_id = ? AND l.target = ? AND l.batch = ?",
                (ResultSet rs) -> {
                    lines.put(rs.getInt(1), new Line(rs.getString(2), rs.getString(3)));
                }, outputId, target, batch);
        return lines;
    }

    private static RegistrationTask task(ResultSet rs) throws SQLException {
        return new RegistrationTask(rs.getString("output_id"), rs.getString("target"), rs.getInt("batch"),
                rs.getLong("job_instance_id"), rs.getString("account"), rs.getString("input_bucket"), rs.getString("input_key"),
                rs.getInt("line_count"), rs.getString("last_device_id"), Optional.ofNullable(rs.getString("task_id")),
                RegistrationTask.State.valueOf(rs.getString("state")), Optional.ofNullable(rs.getString("aws_status")),
                Optional.ofNullable(rs.getString("message")));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
