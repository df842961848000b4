package dev.keyline.ledger;

import static dev.keyline.ledger.Columns.instant;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the run report is drawn from: each committed chunk ({@code chunk_commit}) and the AWS calls of each register
 * execution ({@code registration_call}), written in the chunk's transaction (the caller's), so they are exactly as
 * durable as the chunk. Thread-safe.
 */
public final class RunRecords {

    /** chunk_commit's one mapping. key_algorithms is NULL for a chunk without identities. */
    private static final Columns<ChunkCommit> CHUNK = Columns.<ChunkCommit>of()
            .number("job_execution_id", ChunkCommit::jobExecutionId)
            .text("step_name", ChunkCommit::stepName)
            .time("committed_at", ChunkCommit::committedAt)
            .integer("issued", ChunkCommit::issued)
            .integer("rejected", ChunkCommit::rejected)
            .integer("registered", ChunkCommit::registered)
            .integer("failed", ChunkCommit::failed)
            .text("key_algorithms", c -> c.keyAlgorithms().isEmpty() ? null : c.keyAlgorithms());

    /** registration_call's one mapping: the key, then the counts. */
    private static final Columns<CallCount> CALL_KEY = Columns.<CallCount>of()
            .number("job_execution_id", CallCount::jobExecutionId)
            .text("target", CallCount::target)
            .text("operation", CallCount::operation);
    private static final Columns<CallCount> CALL_COUNTS = Columns.<CallCount>of()
            .number("calls", CallCount::calls)
            .number("throttles", CallCount::throttles)
            .number("faults", CallCount::faults)
            .text("latency_buckets", c -> LatencyBuckets.encode(c.latencyBuckets()));
    private static final Columns<CallCount> CALL = CALL_KEY.plus(CALL_COUNTS);

    private final LedgerDatabase db;

    RunRecords(LedgerDatabase db) {
        this.db = db;
    }

    /** Records one committed chunk, in the chunk's transaction (the caller's). */
    public void recordChunk(ChunkCommit chunk) {
        db.jdbc().update(CHUNK.insert("chunk_commit"), ps -> CHUNK.bind(ps, chunk, 1));
    }

    /** The committed chunks of an execution, oldest first. */
    public List<ChunkCommit> chunkCommits(long jobExecutionId) {
        return db.jdbc().query("SELECT " + CHUNK.names() + " FROM chunk_commit WHERE job_execution_id = ? ORDER BY committed_at",
                (rs, n) -> new ChunkCommit(rs.getLong(CHUNK.at("job_execution_id")), rs.getString(CHUNK.at("step_name")),
                        instant(rs, CHUNK.at("committed_at")), rs.getInt(CHUNK.at("issued")), rs.getInt(CHUNK.at("rejected")),
                        rs.getInt(CHUNK.at("registered")), rs.getInt(CHUNK.at("failed")),
                        rs.getString(CHUNK.at("key_algorithms")) == null ? "" : rs.getString(CHUNK.at("key_algorithms"))),
                jobExecutionId);
    }

    /** The key algorithms of the chunks of these executions, with how many identities each, most first. */
    public Map<String, Long> keyAlgorithms(List<Long> jobExecutionIds) {
        Map<String, Long> result = new HashMap<>();
        for (Long execution : jobExecutionIds) {
            for (String counts : db.jdbc().queryForList("SELECT key_algorithms FROM chunk_commit WHERE job_execution_id = ?"
                    + " AND key_algorithms IS NOT NULL", String.class, execution)) {
                for (String pair : counts.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        result.merge(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)), Long::sum);
                    }
                }
            }
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        result.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /**
     * Replaces the call counts of an execution's targets and operations with these (counted since the execution
     * started), in the caller's transaction. Update first, insert what was not there, as for registrations.
     */
    public void recordCalls(List<CallCount> counts) {
        String update = "UPDATE registration_call SET " + CALL_COUNTS.assignments() + " WHERE " + CALL_KEY.matches();
        for (CallCount c : counts) {
            int updated = db.jdbc().update(update, ps -> CALL_KEY.bind(ps, c, CALL_COUNTS.bind(ps, c, 1)));
            if (updated == 0) {
                db.jdbc().update(CALL.insert("registration_call"), ps -> CALL.bind(ps, c, 1));
            }
        }
    }

    /** The call counts of an execution, by target and operation. */
    public List<CallCount> calls(long jobExecutionId) {
        return db.jdbc().query("SELECT " + CALL.names() + " FROM registration_call WHERE job_execution_id = ?"
                        + " ORDER BY target, operation",
                (rs, n) -> new CallCount(rs.getLong(CALL.at("job_execution_id")), rs.getString(CALL.at("target")),
                        rs.getString(CALL.at("operation")), rs.getLong(CALL.at("calls")), rs.getLong(CALL.at("throttles")),
                        rs.getLong(CALL.at("faults")), LatencyBuckets.decode(rs.getString(CALL.at("latency_buckets")))),
                jobExecutionId);
    }
}
