package dev.keyline.ledger;

import static dev.keyline.ledger.Columns.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The ledger's record of bulk registration tasks ({@code registration_task}) and of the device on each line of
 * their input files ({@code registration_task_line}): what makes a task restartable exactly once. Writes join the
 * caller's transaction, like the other stores'. Thread-safe.
 */
public final class RegistrationTasks {

    private static final int MAX_MESSAGE = 2000;

    /** registration_task's one mapping: what is written when a task is prepared, then what later writes set. */
    private static final Columns<RegistrationTask> PREPARED = Columns.<RegistrationTask>of()
            .text("output_id", RegistrationTask::outputId)
            .text("target", RegistrationTask::target)
            .integer("batch", RegistrationTask::batch)
            .number("job_instance_id", RegistrationTask::jobInstanceId)
            .text("account", RegistrationTask::account)
            .text("input_bucket", RegistrationTask::inputBucket)
            .text("input_key", RegistrationTask::inputKey)
            .integer("line_count", RegistrationTask::lineCount)
            .text("last_device_id", RegistrationTask::lastDeviceId)
            .text("state", t -> t.state().name());
    private static final Columns<RegistrationTask> LATER = Columns.<RegistrationTask>of()
            .text("task_id", t -> t.taskId().orElse(null))
            .text("aws_status", t -> t.awsStatus().orElse(null))
            .text("message", t -> t.message().orElse(null));
    private static final Columns<RegistrationTask> READ = PREPARED.plus(LATER);

    /** One input line of a task, as registration_task_line's row is written. */
    private record LineRow(RegistrationTask task, int lineNumber, String deviceId) {
    }

    /** registration_task_line's one mapping. line_number: from 1, as the task's reports count them. */
    private static final Columns<LineRow> LINE = Columns.<LineRow>of()
            .text("output_id", l -> l.task().outputId())
            .text("target", l -> l.task().target())
            .integer("batch", l -> l.task().batch())
            .integer("line_number", LineRow::lineNumber)
            .text("device_id", LineRow::deviceId);

    private final LedgerDatabase db;

    RegistrationTasks(LedgerDatabase db) {
        this.db = db;
    }

    /** The next batch number of the target: one above the highest it has. */
    public int nextBatch(String outputId, String target) {
        Integer max = db.jdbc().queryForObject("SELECT MAX(batch) FROM registration_task WHERE output_id = ? AND target = ?",
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
        db.jdbc().update("INSERT INTO registration_task (" + PREPARED.names() + ", created_at, updated_at) VALUES ("
                + PREPARED.placeholders() + ", ?, ?)", ps -> {
                    int next = PREPARED.bind(ps, task, 1);
                    ps.setObject(next, utc(now));
                    ps.setObject(next + 1, utc(now));
                });
        List<LineRow> lines = IntStream.rangeClosed(1, deviceIds.size())
                .mapToObj(line -> new LineRow(task, line, deviceIds.get(line - 1))).toList();
        db.jdbc().batchUpdate(LINE.insert("registration_task_line"), lines, 1000, (ps, line) -> LINE.bind(ps, line, 1));
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
        db.jdbc().update("DELETE FROM registration_task_line WHERE output_id = ? AND target = ? AND batch = ?", outputId, target, batch);
        update("DELETE FROM registration_task WHERE output_id = ? AND target = ? AND batch = ? AND state = 'PREPARED'",
                outputId, target, batch);
    }

    private void update(String sql, Object... args) {
        int n = db.jdbc().update(sql, args);
        if (n != 1) {
            throw new IllegalStateException("registration task not in the expected state (" + n + " rows): " + sql);
        }
    }

    /** The target's tasks that have not ENDED, oldest first (at most one, unless the ledger was edited). */
    public List<RegistrationTask> unfinished(String outputId, String target) {
        return db.jdbc().query("SELECT " + READ.names() + " FROM registration_task WHERE output_id = ? AND target = ?"
                        + " AND state <> 'ENDED' ORDER BY batch",
                (rs, n) -> task(rs), outputId, target);
    }

    /** Every task of the output, by target and batch. */
    public List<RegistrationTask> all(String outputId) {
        return db.jdbc().query("SELECT " + READ.names() + " FROM registration_task WHERE output_id = ? ORDER BY target, batch",
                (rs, n) -> task(rs), outputId);
    }

    /**
     * Where the register run's next task of the target starts: after the highest device id its tasks hold (a
     * device that a task of this run failed waits for the next run, so one run never sends it twice).
     */
    public Optional<String> lastDeviceSent(String outputId, String target, long jobInstanceId) {
        return Optional.ofNullable(db.jdbc().queryForObject("SELECT MAX(last_device_id) FROM registration_task WHERE output_id = ?"
                + " AND target = ? AND job_instance_id = ?", String.class, outputId, target, jobInstanceId));
    }

    /** The device on one input line, with its certificate id, which a RESULTS line must name. */
    public record Line(String deviceId, String certificateId) {
    }

    /** Line number (from 1) to its device, for every line of the task. */
    public Map<Integer, Line> lines(String outputId, String target, int batch) {
        Map<Integer, Line> lines = new HashMap<>();
        db.jdbc().query("SELECT l.line_number, l.device_id, d.certificate_id FROM registration_task_line l JOIN device_identity d"
                        + " ON d.output_id = l.output_id AND d.device_id = l.device_id"
                        + " WHERE l.output_id = ? AND l.target = ? AND l.batch = ?",
                (ResultSet rs) -> {
                    lines.put(rs.getInt(1), new Line(rs.getString(2), rs.getString(3)));
                }, outputId, target, batch);
        return lines;
    }

    private static RegistrationTask task(ResultSet rs) throws SQLException {
        return new RegistrationTask(rs.getString(READ.at("output_id")), rs.getString(READ.at("target")),
                rs.getInt(READ.at("batch")), rs.getLong(READ.at("job_instance_id")), rs.getString(READ.at("account")),
                rs.getString(READ.at("input_bucket")), rs.getString(READ.at("input_key")), rs.getInt(READ.at("line_count")),
                rs.getString(READ.at("last_device_id")), Optional.ofNullable(rs.getString(READ.at("task_id"))),
                RegistrationTask.State.valueOf(rs.getString(READ.at("state"))),
                Optional.ofNullable(rs.getString(READ.at("aws_status"))), Optional.ofNullable(rs.getString(READ.at("message"))));
    }
}
