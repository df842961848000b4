package dev.keyline.ledger;

import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.LoggerFactory;

/**
 * {@code registration_summary}: per output and accounts column value ({@code ''} for none), how many identities carry
 * registration input. Written by the export's pass over the output, deleted by every write of identities, so that
 * when present it is exact, and {@code register --plan} counts from it instead of reading every row.
 */
final class RegistrationSummary {

    private final LedgerDatabase db;
    private final boolean readable;

    /** @param readable false on a ledger opened read-only from before the table: it is then never read */
    RegistrationSummary(LedgerDatabase db, boolean readable) {
        this.db = db;
        this.readable = readable;
    }

    /** The outputs' counts no longer hold, in the caller's transaction (a no-op delete, without locks, once gone). */
    void forget(Collection<String> outputIds) {
        outputIds.forEach(o -> db.jdbc().update("DELETE FROM registration_summary WHERE output_id = ?", o));
    }

    /** Replaces the output's summary, in a transaction of its own; logged, not thrown, if that fails. */
    void record(String outputId, Map<String, Long> devicesPerAccounts) {
        try {
            db.inTransaction(() -> {
                db.jdbc().update("DELETE FROM registration_summary WHERE output_id = ?", outputId);
                // A row even for an output without registrable identities, so that "no summary" means "not counted yet".
                Map<String, Long> rows = devicesPerAccounts.isEmpty() ? Map.of("", 0L) : devicesPerAccounts;
                rows.forEach((accounts, devices) -> db.jdbc().update(
                        "INSERT INTO registration_summary (output_id, accounts, devices) VALUES (?, ?, ?)", outputId,
                        accounts, devices));
            });
        } catch (RuntimeException e) {
            // Only a shortcut for register --plan: an export (say of a run that failed on a full disk) must not fail
            // for it. Rolled back, the table holds what it held, which is still exact or nothing.
            LoggerFactory.getLogger(RegistrationSummary.class).warn(
                    "the registration summary of output {} was not recorded: {}", outputId, e.getMessage());
        }
    }

    /** The output's summary (accounts value to devices), when the last export left one and no identity was written since. */
    Optional<Map<String, Long>> of(String outputId) {
        if (!readable) {
            return Optional.empty();
        }
        Map<String, Long> summary = new HashMap<>();
        db.jdbc().query("SELECT accounts, devices FROM registration_summary WHERE output_id = ?",
                (ResultSet rs) -> {
                    summary.put(rs.getString(1), rs.getLong(2));
                }, outputId);
        return summary.isEmpty() ? Optional.empty() : Optional.of(summary);
    }
}
