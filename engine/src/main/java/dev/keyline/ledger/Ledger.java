package dev.keyline.ledger;

import javax.sql.DataSource;

/**
 * The ledger on a JDBC database (H2 or PostgreSQL): its stores, one per kind of record, sharing one connection. Writes
 * join the caller's transaction (Spring's DataSource-bound connection), which is how a chunk's identities commit
 * together with the chunk's reader position, or not at all. Thread-safe.
 */
public final class Ledger {

    private final SchemaVersion schema;
    private final LedgerDatabase db;
    private final Identities identities;
    private final Rejections rejections;
    private final Archives archives;
    private final ManifestChunks manifestChunks;
    private final Registrations registrations;
    private final PendingRegistrations pending;
    private final RegistrationTasks registrationTasks;
    private final RunRecords runRecords;

    private Ledger(LedgerDatabase db, SchemaVersion schema) {
        this.db = db;
        this.schema = schema;
        // A ledger read as it is, behind this code, may predate the summary table.
        RegistrationSummary summary = new RegistrationSummary(db, !schema.isBehind());
        this.identities = new Identities(db, summary);
        this.rejections = new Rejections(db);
        this.archives = new Archives(db);
        this.manifestChunks = new ManifestChunks(db);
        this.registrations = new Registrations(db);
        this.pending = new PendingRegistrations(db, summary);
        this.registrationTasks = new RegistrationTasks(db);
        this.runRecords = new RunRecords(db);
    }

    /**
     * Opens the ledger, bringing its schema up to date first ({@link LedgerSchema}); a ledger opened read-only is read
     * as it is ({@link #schema()} says whether it is behind).
     *
     * @throws LedgerSchemaException if a newer Keyline wrote it
     */
    public static Ledger open(DataSource dataSource) {
        LedgerDatabase db = new LedgerDatabase(dataSource);
        return new Ledger(db, new LedgerSchema(db).migrate());
    }

    /** The schema version found when the ledger was opened, beside this code's. */
    public SchemaVersion schema() {
        return schema;
    }

    public Identities identities() {
        return identities;
    }

    public Rejections rejections() {
        return rejections;
    }

    public Archives archives() {
        return archives;
    }

    public ManifestChunks manifestChunks() {
        return manifestChunks;
    }

    public Registrations registrations() {
        return registrations;
    }

    public PendingRegistrations pendingRegistrations() {
        return pending;
    }

    public RegistrationTasks registrationTasks() {
        return registrationTasks;
    }

    public RunRecords runRecords() {
        return runRecords;
    }

    /**
     * Removes what a run holds for rows {@code [fromRow, endRow)}: identities, rejections, device-made keys, the
     * chunk archives no identity names any more, and the records of those chunks' manifest rows; in one transaction. Only for rows the JobRepository says were never
     * committed (past a partition's saved position), which a consistent ledger never holds.
     *
     * @return the identities and rejections removed
     */
    public long removeUncommitted(long jobInstanceId, long fromRow, long endRow) {
        return db.inTransaction(() -> {
            Identities.Removed removed = identities.removeRows(jobInstanceId, fromRow, endRow);
            long rows = removed.identities() + rejections.removeRows(jobInstanceId, fromRow, endRow);
            removed.archives().forEach(a -> archives.removeUnlessNamed(a.outputId(), a.path()));
            manifestChunks.removeRows(jobInstanceId, fromRow, endRow);
            return rows;
        });
    }
}
