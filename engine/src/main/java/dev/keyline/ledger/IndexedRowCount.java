package dev.keyline.ledger;

/**
 * How many rows of a ledger table have one value in a column that leads one of its indexes: a run's rows
 * ({@code job_instance_id} of {@code device_identity} and {@code device_reject}), an output's identities
 * ({@code output_id}, which leads {@code device_identity}'s primary key).
 *
 * <p>On H2 the counting query walks the index entry by entry: 1.4 s for a million identities, most of
 * {@code keyline status} on such an output, and 2 s of the export at the end of a million-device run. But H2 answers
 * {@code COUNT(*)} of a whole table from its row count and {@code MIN}/{@code MAX} of a column that leads an index from
 * the index's ends, without walking anything; and when the smallest and the largest value are both the one asked for,
 * every row has it (the columns are NOT NULL), so the table's count is the answer, exactly. That is the usual ledger:
 * one output folder, one run. Otherwise (more runs or outputs, an empty table) it counts as before, in the same
 * statement's snapshot. PostgreSQL counts a whole table by reading it, so it is always asked the ordinary question.
 */
final class IndexedRowCount {

    private IndexedRowCount() {
    }

    /** @param column a column of {@code table} that leads one of its indexes (a constant of this package, never input) */
    static long of(LedgerDatabase db, String table, String column, Object value) {
        if (db.isH2()) {
            long whole = db.count("SELECT CASE WHEN MIN(" + column + ") = ? AND MAX(" + column + ") = ? THEN COUNT(*)"
                    + " ELSE -1 END FROM " + table, value, value);
            if (whole >= 0) {
                return whole;
            }
        }
        return db.count("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?", value);
    }
}
