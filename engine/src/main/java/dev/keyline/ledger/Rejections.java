package dev.keyline.ledger;

import static dev.keyline.ledger.Columns.instant;
import static dev.keyline.ledger.Columns.truncate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The manifest rows that were not issued ({@code device_reject}), with the reason a person acts on and a short code.
 * Written in the chunk's transaction, so a rolled-back chunk leaves no rejection behind. Thread-safe.
 */
public final class Rejections {

    private static final int MAX_REASON = 2000;
    private static final int MAX_DEVICE_ID = 160;

    /** device_reject's one mapping: written and read in this order. reason_code is NULL in rows from before codes. */
    private static final Columns<Rejection> COLUMNS = Columns.<Rejection>of()
            .text("output_id", Rejection::outputId)
            .number("job_instance_id", Rejection::jobInstanceId)
            .number("row_index", Rejection::rowIndex)
            .number("source_line", Rejection::sourceLine)
            .text("device_id", r -> truncate(r.deviceId(), MAX_DEVICE_ID))
            .text("reason", r -> truncate(r.reason(), MAX_REASON))
            .time("rejected_at", Rejection::rejectedAt)
            .text("reason_code", Rejection::code);
    private static final String INSERT = COLUMNS.insert("device_reject");
    private static final String SELECT = "SELECT " + COLUMNS.names() + " FROM device_reject";
    private static final int OUTPUT_ID = COLUMNS.at("output_id");
    private static final int JOB_INSTANCE_ID = COLUMNS.at("job_instance_id");
    private static final int ROW_INDEX = COLUMNS.at("row_index");
    private static final int SOURCE_LINE = COLUMNS.at("source_line");
    private static final int DEVICE_ID = COLUMNS.at("device_id");
    private static final int REASON = COLUMNS.at("reason");
    private static final int REJECTED_AT = COLUMNS.at("rejected_at");
    private static final int REASON_CODE = COLUMNS.at("reason_code");

    private final LedgerDatabase db;

    Rejections(LedgerDatabase db) {
        this.db = db;
    }

    public void recordRejected(List<Rejection> rejections) {
        if (rejections.isEmpty()) {
            return;
        }
        db.jdbc().batchUpdate(INSERT, rejections, rejections.size(), (ps, r) -> COLUMNS.bind(ps, r, 1));
    }

    public long countRejected(long jobInstanceId) {
        return IndexedRowCount.of(db, "device_reject", "job_instance_id", jobInstanceId);
    }

    /** A run's rejections in manifest order. Streams: memory stays flat. */
    public void forEachRejected(long jobInstanceId, Consumer<Rejection> consumer) {
        db.stream(SELECT + " WHERE job_instance_id = ? ORDER BY row_index", rs -> consumer.accept(rejection(rs)),
                jobInstanceId);
    }

    /**
     * A run's rejections grouped by reason code, largest group first, each with its first {@code examples} rows. Two
     * small queries: the counts, then the examples of each code (rows in manifest order), so a run with a million
     * rejections costs no more memory than one with ten.
     */
    public List<RejectGroup> rejectGroups(long jobInstanceId, int examples) {
        // The same expression in SELECT and GROUP BY, as a literal: PostgreSQL takes two placeholders for two expressions.
        String code = "COALESCE(reason_code, '" + Rejection.UNRECORDED + "')";
        List<Object[]> counts = db.jdbc().query("SELECT " + code + ", COUNT(*) FROM device_reject WHERE job_instance_id = ?"
                        + " GROUP BY " + code + " ORDER BY COUNT(*) DESC, 1",
                (rs, n) -> new Object[] {rs.getString(1), rs.getLong(2)}, jobInstanceId);
        List<RejectGroup> groups = new ArrayList<>();
        for (Object[] c : counts) {
            String groupCode = (String) c[0];
            List<Rejection> first = db.jdbc().query(SELECT + " WHERE job_instance_id = ? AND "
                            + (Rejection.UNRECORDED.equals(groupCode) ? "(reason_code IS NULL OR reason_code = ?)" : "reason_code = ?")
                            + " ORDER BY row_index LIMIT ?",
                    (rs, n) -> rejection(rs), jobInstanceId, groupCode, examples);
            groups.add(new RejectGroup(groupCode, (Long) c[1], first));
        }
        return groups;
    }

    /** Removes a run's rejections of rows {@code [fromRow, endRow)}, in the caller's transaction; how many. */
    long removeRows(long jobInstanceId, long fromRow, long endRow) {
        return db.jdbc().update("DELETE FROM device_reject WHERE job_instance_id = ? AND row_index >= ? AND row_index < ?",
                jobInstanceId, fromRow, endRow);
    }

    private static Rejection rejection(ResultSet rs) throws SQLException {
        String code = rs.getString(REASON_CODE);
        return new Rejection(rs.getString(OUTPUT_ID), rs.getLong(JOB_INSTANCE_ID), rs.getLong(ROW_INDEX),
                rs.getLong(SOURCE_LINE), rs.getString(DEVICE_ID), rs.getString(REASON), instant(rs, REJECTED_AT),
                code == null ? Rejection.UNRECORDED : code);
    }
}
