package dev.keyline.ledger;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The identities issued ({@code device_identity}) and the public keys devices made themselves
 * ({@code device_made_key}). Writes join the caller's transaction: a chunk's identities commit with the chunk's
 * reader position, or not at all. Thread-safe.
 */
public final class Identities {

    private static final String INSERT = IdentityRows.WRITTEN.insert(IdentityRows.TABLE);

    private final LedgerDatabase db;
    private final RegistrationSummary summary;

    Identities(LedgerDatabase db, RegistrationSummary summary) {
        this.db = db;
        this.summary = summary;
    }

    public Optional<LedgerEntry> find(String outputId, String deviceId) {
        List<LedgerEntry> found = db.jdbc().query("SELECT " + IdentityRows.all("") + " FROM device_identity"
                + " WHERE output_id = ? AND device_id = ?", (rs, n) -> IdentityRows.read(rs, 0, true), outputId, deviceId);
        return found.stream().findFirst();
    }

    /**
     * The device that made this public key itself (SHA-256 of its SubjectPublicKeyInfo) and got a certificate for
     * it through a CSR, in any output. Keys Keyline made are not looked up: they are fresh by construction.
     */
    public Optional<String> deviceWithPublicKey(String publicKeySha256) {
        List<String> found = db.jdbc().query("SELECT device_id FROM device_made_key WHERE public_key_sha256 = ?",
                (rs, n) -> rs.getString(1), publicKeySha256);
        return found.stream().findFirst();
    }

    public void recordIssued(List<LedgerEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        summary.forget(entries.stream().map(LedgerEntry::outputId).distinct().toList());
        db.jdbc().batchUpdate(INSERT, entries, entries.size(), (ps, e) -> IdentityRows.WRITTEN.bind(ps, e, 1));
        // Normally claimed already, in this transaction (claimDeviceMadeKey): then nothing is inserted.
        entries.stream().filter(e -> LedgerEntry.DEVICE_MADE_KEY.equals(e.keyLocation()))
                .forEach(e -> claimDeviceMadeKey(e.publicKeySha256(), e.outputId(), e.deviceId()));
    }

    /**
     * Claims a public key that a device made itself (its CSR) for this device, in the caller's transaction: the
     * database, not one process, decides which of two devices with the same key is certified, so two partitions on two
     * machines cannot both certify it. On PostgreSQL a claim by another transaction not yet committed makes this one
     * wait for it (a unique key's rule), then see it; a claim that rolls back is gone with its chunk.
     *
     * @return true if the key is now this device's (claimed now, or already by this transaction); false if another
     *         device holds it ({@link #deviceWithPublicKey} names it)
     */
    public boolean claimDeviceMadeKey(String publicKeySha256, String outputId, String deviceId) {
        if (db.isH2()) {
            // One H2 ledger has one process, whose partitions already keep a key to one device in flight.
            if (db.count("SELECT COUNT(*) FROM device_made_key WHERE public_key_sha256 = ?", publicKeySha256) == 0) {
                db.jdbc().update("INSERT INTO device_made_key (public_key_sha256, output_id, device_id) VALUES (?, ?, ?)",
                        publicKeySha256, outputId, deviceId);
            }
        } else {
            db.jdbc().update("INSERT INTO device_made_key (public_key_sha256, output_id, device_id) VALUES (?, ?, ?)"
                    + " ON CONFLICT (public_key_sha256) DO NOTHING", publicKeySha256, outputId, deviceId);
        }
        List<String> holder = db.jdbc().query("SELECT output_id, device_id FROM device_made_key WHERE public_key_sha256 = ?",
                (rs, n) -> rs.getString(1) + "\n" + rs.getString(2), publicKeySha256);
        return holder.contains(outputId + "\n" + deviceId);
    }

    public long countIssued(String outputId) {
        return IndexedRowCount.of(db, "device_identity", "output_id", outputId);
    }

    /** Identities of the output issued by runs other than this one. */
    public long countIssuedByOtherRuns(String outputId, long jobInstanceId) {
        return db.count("SELECT COUNT(*) FROM device_identity WHERE output_id = ? AND job_instance_id <> ?", outputId,
                jobInstanceId);
    }

    public long countIssuedBy(long jobInstanceId) {
        return IndexedRowCount.of(db, "device_identity", "job_instance_id", jobInstanceId);
    }

    /** Every identity of the output, in manifest order within each run. Streams: memory stays flat. */
    public void forEachIssued(String outputId, Consumer<LedgerEntry> consumer) {
        db.stream("SELECT " + IdentityRows.all("") + " FROM device_identity WHERE output_id = ?"
                + " ORDER BY job_instance_id, row_index", rs -> consumer.accept(IdentityRows.read(rs, 0, true)), outputId);
    }

    /**
     * The output's identities in device id order, each with its registrations (by target). One joined, streamed
     * query: memory holds one device's rows. The same pass counts the identities that carry registration input by
     * their accounts column and, when it is done, records those counts as the output's registration summary
     * ({@link PendingRegistrations#countPendingRegistrations} then answers without reading every row).
     *
     * <p>Device id order is the primary key's, so the database streams rows straight off the index. In manifest
     * order H2 had to sort the whole output first, and past 40,000 rows it spills that sort to a temporary file:
     * on 100,000 devices that was most of the export's time.
     */
    public void forEachIssuedWithRegistrations(String outputId, BiConsumer<LedgerEntry, List<RegistrationRecord>> consumer) {
        LedgerEntry[] current = {null};
        List<RegistrationRecord> rows = new ArrayList<>();
        Map<String, Long> counted = new HashMap<>();
        int registration = IdentityRows.CORE.size();
        int accounts = registration + RegistrationRows.outcomeSize() + 1;
        // Not d.*: the registration input (the certificate, attributes) is most of a row's bytes and no export needs
        // it; reading and decoding it was a third of the export's time.
        db.stream("SELECT " + IdentityRows.core("d.") + ", " + RegistrationRows.outcome("r.")
                        + ", d.accounts, CASE WHEN " + IdentityRows.hasInput("d.")
                        + " THEN 1 ELSE 0 END"
                        + " FROM device_identity d LEFT JOIN device_registration r"
                        + " ON r.output_id = d.output_id AND r.device_id = d.device_id"
                        + " WHERE d.output_id = ? ORDER BY d.output_id, d.device_id",
                (ResultSet rs) -> {
                    if (current[0] == null || !current[0].deviceId().equals(rs.getString(2))) {
                        if (current[0] != null) {
                            consumer.accept(current[0], byTarget(rows));
                        }
                        current[0] = IdentityRows.read(rs, 0, false);
                        rows.clear();
                        if (rs.getInt(accounts + 1) == 1) {
                            String value = rs.getString(accounts);
                            counted.merge(value == null ? "" : value, 1L, Long::sum);
                        }
                    }
                    RegistrationRows.read(rs, registration, outputId, current[0].deviceId()).ifPresent(rows::add);
                }, outputId);
        if (current[0] != null) {
            consumer.accept(current[0], byTarget(rows));
        }
        summary.record(outputId, counted);
    }

    /**
     * The value under which the registration summary counts an identity: its {@code accounts} column as stored
     * ({@code ""} for none); empty when the identity carries no registration input, and so is not counted.
     */
    public static Optional<String> registrationSummaryKey(LedgerEntry entry) {
        return entry.registration().map(r -> r.accounts().isEmpty() ? "" : IdentityRows.delimited(r.accounts()));
    }

    /**
     * Records the output's registration summary as counted outside the ledger (the export's merge of the chunks'
     * manifest rows, which carry each identity's {@link #registrationSummaryKey}), as
     * {@link #forEachIssuedWithRegistrations} does from its own pass.
     */
    public void recordRegistrationSummary(String outputId, Map<String, Long> devicesPerAccounts) {
        summary.record(outputId, devicesPerAccounts);
    }

    private static List<RegistrationRecord> byTarget(List<RegistrationRecord> rows) {
        return rows.stream().sorted(Comparator.comparing(RegistrationRecord::target)).toList();
    }

    /** What {@link #removeRows} removed: how many identities, and the archives they were in. */
    record Removed(long identities, List<ArchivePath> archives) {
    }

    /** An archive of the archive bundle layout, as an identity's bundle_path names it. */
    record ArchivePath(String outputId, String path) {
    }

    /**
     * Removes the identities of a run's rows {@code [fromRow, endRow)} and the device-made keys they claimed, in the
     * caller's transaction.
     */
    Removed removeRows(long jobInstanceId, long fromRow, long endRow) {
        db.jdbc().update("DELETE FROM device_made_key k WHERE EXISTS (SELECT 1 FROM device_identity d"
                + " WHERE d.output_id = k.output_id AND d.device_id = k.device_id AND d.job_instance_id = ?"
                + " AND d.row_index >= ? AND d.row_index < ?)", jobInstanceId, fromRow, endRow);
        // A chunk's archive is named in its identities' bundle_path.
        List<ArchivePath> archives = db.jdbc().query("SELECT DISTINCT output_id, bundle_path FROM device_identity"
                        + " WHERE job_instance_id = ? AND row_index >= ? AND row_index < ?",
                (rs, n) -> new ArchivePath(rs.getString(1), rs.getString(2)), jobInstanceId, fromRow, endRow);
        summary.forget(archives.stream().map(ArchivePath::outputId).distinct().toList());
        long removed = db.jdbc().update("DELETE FROM device_identity WHERE job_instance_id = ? AND row_index >= ?"
                + " AND row_index < ?", jobInstanceId, fromRow, endRow);
        return new Removed(removed, archives);
    }
}
