package dev.keyline.ledger;

import java.time.Instant;
import java.util.List;

/**
 * The archive bundle layout's chunk archives ({@code bundle_archive}), recorded in the transaction of the chunk whose
 * devices they hold: an archive on disk without a row belongs to a chunk that never committed. Thread-safe.
 */
public final class Archives {

    /** One archive of one chunk, as a row is written. */
    private record Row(String outputId, long jobExecutionId, ArchiveRecord archive, Instant createdAt) {
    }

    /** bundle_archive's one mapping. */
    private static final Columns<Row> COLUMNS = Columns.<Row>of()
            .text("output_id", Row::outputId)
            .text("path", r -> r.archive().path())
            .text("sha256", r -> r.archive().sha256())
            .number("size_bytes", r -> r.archive().size())
            .number("job_execution_id", Row::jobExecutionId)
            .time("created_at", Row::createdAt);
    private static final String INSERT = COLUMNS.insert("bundle_archive");

    private final LedgerDatabase db;

    Archives(LedgerDatabase db) {
        this.db = db;
    }

    /**
     * Records the archives a chunk published, in the chunk's transaction.
     *
     * @param archives path (relative to the output folder), SHA-256 and size of each
     */
    public void recordArchives(String outputId, long jobExecutionId, List<ArchiveRecord> archives, Instant now) {
        if (archives.isEmpty()) {
            return;
        }
        List<Row> rows = archives.stream().map(a -> new Row(outputId, jobExecutionId, a, now)).toList();
        db.jdbc().batchUpdate(INSERT, rows, rows.size(), (ps, r) -> COLUMNS.bind(ps, r, 1));
    }

    /** The archives recorded for an output, by path. */
    public List<ArchiveRecord> archives(String outputId) {
        return db.jdbc().query("SELECT path, sha256, size_bytes FROM bundle_archive WHERE output_id = ? ORDER BY path",
                (rs, n) -> new ArchiveRecord(rs.getString(1), rs.getString(2), rs.getLong(3)), outputId);
    }

    /** Removes an archive's row when no identity names it any more, in the caller's transaction. */
    void removeUnlessNamed(String outputId, String path) {
        db.jdbc().update("DELETE FROM bundle_archive a WHERE a.output_id = ? AND a.path = ? AND NOT EXISTS"
                + " (SELECT 1 FROM device_identity d WHERE d.output_id = a.output_id AND d.bundle_path = a.path)",
                outputId, path);
    }
}
