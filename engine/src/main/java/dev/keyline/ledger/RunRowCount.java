package dev.keyline.ledger;

/**
 * How many rows of a ledger table belong to one run (job instance), for tables keyed by {@code job_instance_id}
 * first ({@code device_identity}, {@code device_reject}).
 *
 * <p>On H2 the counting query walks the index entry by entry: 1.4 s for a million identities, most of
 * {@code keyline status} on such an output. But H2 answers {@code COUNT(*)} of a whole table from its row count and
 * {@code MIN}/{@code MAX} of an indexed column from the index's ends, without walking anything; and when the smallest
 * and the largest {@code job_instance_id} are both this run's, every row is this run's (the column is NOT NULL), so the
 * table's count is the run's count, exactly. That is the usual ledger: one output folder, one run. Otherwise (more runs,
 * an empty table) it counts as before, in the same statement's snapshot. PostgreSQL counts a whole table by reading it,
 * so it is always asked the ordinary question.
 */
final class RunRowCount {

    private RunRowCount() {
    }

    static long of(LedgerDatabase db, String table, long jobInstanceId) {
        if (db.isH2()) {
            long whole = db.count("SELECT CASE WHEN MIN(job_instance_id) = ? AND MAX(job_instance_id) = ? THEN COUNT(*)"
                    + " ELSE -1 END FROM " + table, jobInstanceId, jobInstanceId);
            if (whole >= 0) {
                return whole;
            }
        }
        return db.count("SELECT COUNT(*) FROM " + table + " WHERE job_instance_id = ?", jobInstanceId);
    }
}
