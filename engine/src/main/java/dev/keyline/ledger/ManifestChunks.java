package dev.keyline.ledger;

import java.util.List;

import org.springframework.jdbc.BadSqlGrammarException;

/**
 * The files of committed chunks' output manifest rows ({@code manifest_chunk}), recorded in the transaction of the
 * chunk that wrote them, as {@link Archives} records its archives: a file on disk without a row belongs to a chunk
 * that never committed. The export merges the recorded files instead of reading every identity back. Thread-safe.
 */
public final class ManifestChunks {

    /** One file of one chunk, as a row is written. */
    private record Row(String outputId, long jobExecutionId, ManifestChunk chunk) {
    }

    /** manifest_chunk's one mapping. */
    private static final Columns<Row> COLUMNS = Columns.<Row>of()
            .text("output_id", Row::outputId)
            .text("path", r -> r.chunk().path())
            .text("first_device_id", r -> r.chunk().firstDeviceId())
            .text("last_device_id", r -> r.chunk().lastDeviceId())
            .number("rows_count", r -> r.chunk().rows())
            .number("size_bytes", r -> r.chunk().size())
            .number("job_instance_id", r -> r.chunk().jobInstanceId())
            .number("first_row", r -> r.chunk().firstRow())
            .number("job_execution_id", Row::jobExecutionId);
    private static final String INSERT = COLUMNS.insert("manifest_chunk");

    private final LedgerDatabase db;

    ManifestChunks(LedgerDatabase db) {
        this.db = db;
    }

    /** Records the file of a chunk's output manifest rows, in the chunk's transaction. */
    public void recordManifestChunk(String outputId, long jobExecutionId, ManifestChunk chunk) {
        Row row = new Row(outputId, jobExecutionId, chunk);
        db.jdbc().update(INSERT, ps -> {
            COLUMNS.bind(ps, row, 1);
        });
    }

    /**
     * The manifest row files recorded for an output, by first device id. Empty for a ledger opened read-only that
     * predates them (its schema is behind: the table is missing).
     */
    public List<ManifestChunk> manifestChunks(String outputId) {
        try {
            return db.jdbc().query("SELECT path, first_device_id, last_device_id, rows_count, size_bytes, job_instance_id,"
                            + " first_row FROM manifest_chunk WHERE output_id = ? ORDER BY first_device_id",
                    (rs, n) -> new ManifestChunk(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7)), outputId);
        } catch (BadSqlGrammarException e) {
            return List.of();
        }
    }

    /**
     * Removes the records of chunks past a partition's committed position, in the caller's transaction: a chunk's rows
     * start at its first row, which is past the position when the chunk never committed.
     */
    long removeRows(long jobInstanceId, long fromRow, long endRow) {
        return db.jdbc().update("DELETE FROM manifest_chunk WHERE job_instance_id = ? AND first_row >= ? AND first_row < ?",
                jobInstanceId, fromRow, endRow);
    }
}
