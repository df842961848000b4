package dev.keyline.ledger;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.BadSqlGrammarException;

/**
 * How each device's registration with each target last ended ({@code device_registration}), written in the register
 * step's chunk transaction (the caller's). A FAILED row is tried again by the next registration; a REGISTERED one
 * never is. Thread-safe.
 */
public final class Registrations {

    /** Replaces a row's outcome and counts the attempt. */
    private static final String UPDATE = "UPDATE " + RegistrationRows.TABLE + " SET "
            + RegistrationRows.OUTCOME.assignments() + ", attempts = attempts + 1 WHERE "
            + RegistrationRows.DEVICE.matches() + " AND target = ?";
    private static final Columns<RegistrationRecord> INSERTED = RegistrationRows.DEVICE.plus(RegistrationRows.OUTCOME);
    private static final String INSERT = "INSERT INTO " + RegistrationRows.TABLE + " (" + INSERTED.names()
            + ", attempts) VALUES (" + INSERTED.placeholders() + ", 1)";

    private final LedgerDatabase db;

    Registrations(LedgerDatabase db) {
        this.db = db;
    }

    /**
     * Writes each (device, target) outcome in the caller's transaction: the row is replaced, its attempts counted.
     * Update first, insert what was not there: portable between H2 and PostgreSQL (no shared upsert syntax), and safe
     * because one process at a time holds an output.
     */
    public void recordRegistrations(List<RegistrationRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        int[][] updated = db.jdbc().batchUpdate(UPDATE, records, records.size(), (ps, r) -> {
            int next = RegistrationRows.OUTCOME.bind(ps, r, 1);
            next = RegistrationRows.DEVICE.bind(ps, r, next);
            ps.setString(next, r.target());
        });
        List<RegistrationRecord> fresh = new ArrayList<>();
        int i = 0;
        for (int[] batch : updated) {
            for (int count : batch) {
                if (count == 0) {
                    fresh.add(records.get(i));
                }
                i++;
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        db.jdbc().batchUpdate(INSERT, fresh, fresh.size(), (ps, r) -> INSERTED.bind(ps, r, 1));
    }

    /** Per target, status and error code: how many devices, and one of the messages (for the summary). */
    public List<TargetCount> registrationCounts(String outputId) {
        return db.jdbc().query("SELECT target, status, error_code, COUNT(*), MIN(error_message) FROM device_registration"
                        + " WHERE output_id = ? GROUP BY target, status, error_code ORDER BY target, status, error_code",
                (rs, n) -> new TargetCount(rs.getString(1), RegistrationStatus.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getLong(4), rs.getString(5)), outputId);
    }

    /** The targets the output's devices have registration rows for, sorted. */
    public List<String> registrationTargets(String outputId) {
        return db.jdbc().queryForList("SELECT DISTINCT target FROM device_registration WHERE output_id = ? ORDER BY target",
                String.class, outputId);
    }

    /**
     * Every registration row of the output, in device id order (bytes, as Java compares ASCII ids: PostgreSQL is told
     * so, whatever the database's collation), then target. Streams: memory stays flat.
     */
    public void forEachRegistration(String outputId, java.util.function.Consumer<RegistrationRecord> consumer) {
        db.stream("SELECT device_id, " + RegistrationRows.outcome("") + " FROM device_registration WHERE output_id = ?"
                        + " ORDER BY output_id, device_id" + (db.isH2() ? "" : " COLLATE \"C\"") + ", target",
                rs -> RegistrationRows.read(rs, 1, outputId, rs.getString(1)).ifPresent(consumer), outputId);
    }

    /** Every registration row of one device, by target. */
    public List<RegistrationRecord> registrationsOf(String outputId, String deviceId) {
        return db.jdbc().query("SELECT " + RegistrationRows.outcome("") + " FROM device_registration"
                        + " WHERE output_id = ? AND device_id = ? ORDER BY target",
                (rs, n) -> RegistrationRows.read(rs, 0, outputId, deviceId).orElseThrow(), outputId, deviceId);
    }

    /**
     * Per execution that recorded registrations of the output: how many of its outcomes still stand, REGISTERED and
     * FAILED. One pass over the output's registration rows (no certificates in them).
     */
    public Map<Long, RegistrationTally> registrationTallies(String outputId) {
        Map<Long, long[]> counts = new HashMap<>();
        try {
            db.jdbc().query("SELECT job_execution_id, status, COUNT(*) FROM device_registration WHERE output_id = ?"
                            + " AND status IN ('REGISTERED', 'FAILED') GROUP BY job_execution_id, status",
                    (ResultSet rs) -> {
                        long[] c = counts.computeIfAbsent(rs.getLong(1), k -> new long[2]);
                        c[RegistrationStatus.REGISTERED.name().equals(rs.getString(2)) ? 0 : 1] += rs.getLong(3);
                    }, outputId);
        } catch (BadSqlGrammarException e) {
            return Map.of(); // a ledger from before registration, opened read-only: it has no such table, and no registrations
        }
        Map<Long, RegistrationTally> tallies = new HashMap<>();
        counts.forEach((execution, c) -> tallies.put(execution, new RegistrationTally(c[0], c[1])));
        return tallies;
    }
}
