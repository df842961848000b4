package dev.keyline.ledger;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What is still to register: the identities that carry registration input ({@code device_identity}'s input columns),
 * less those REGISTERED with a target ({@code device_registration}), answered from the registration summary where
 * the last export left one. Reads only. Thread-safe.
 */
public final class PendingRegistrations {

    private static final String HAS_INPUT = IdentityRows.HAS_INPUT;

    private final LedgerDatabase db;
    private final RegistrationSummary summary;

    PendingRegistrations(LedgerDatabase db, RegistrationSummary summary) {
        this.db = db;
        this.summary = summary;
    }

    /**
     * Up to {@code limit} identities of the output after {@code afterDeviceId} (device id order; null: from the
     * start) that carry registration input, each with the targets it is already REGISTERED with. Keyset paging, so
     * a restart continues from a device id and memory holds one page.
     */
    public List<RegistrationCandidate> registrationCandidates(String outputId, String afterDeviceId, int limit) {
        List<LedgerEntry> page = new ArrayList<>(limit);
        Object[] args = afterDeviceId == null ? new Object[] {outputId, limit} : new Object[] {outputId, afterDeviceId, limit};
        db.jdbc().query("SELECT " + IdentityRows.all("") + " FROM device_identity WHERE output_id = ? AND " + HAS_INPUT
                        + (afterDeviceId == null ? "" : " AND device_id > ?") + " ORDER BY device_id LIMIT ?",
                (ResultSet rs) -> {
                    page.add(IdentityRows.read(rs, 0, true));
                }, args);
        if (page.isEmpty()) {
            return List.of();
        }
        // Settled, not only REGISTERED: a device deregistered or revoked is not registered again unless asked
        // (keyline register --again-deregistered), and one being deregistered not at all.
        Map<String, Set<String>> registered = new HashMap<>();
        db.jdbc().query("SELECT device_id, target FROM device_registration WHERE output_id = ? AND device_id >= ?"
                        + " AND device_id <= ? AND status <> 'FAILED'",
                (ResultSet rs) -> {
                    registered.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
                }, outputId, page.get(0).deviceId(), page.get(page.size() - 1).deviceId());
        List<RegistrationCandidate> result = new ArrayList<>(page.size());
        for (LedgerEntry e : page) {
            result.add(new RegistrationCandidate(e.deviceId(), e.thingName(), e.certificateId(),
                    e.registration().orElseThrow(), registered.getOrDefault(e.deviceId(), Set.of())));
        }
        return result;
    }

    /**
     * Devices of the output still to register with {@code target}: those whose accounts name it, or (when
     * {@code forDevicesWithoutAccounts}) that name no accounts, and whose row for it, if any, is FAILED (REGISTERED,
     * and the deregistration statuses, are settled).
     */
    public long countPendingRegistrations(String outputId, String target, boolean forDevicesWithoutAccounts) {
        Optional<Map<String, Long>> counted = forDevicesWithoutAccounts ? summary.of(outputId) : Optional.empty();
        if (counted.isPresent()) {
            // Counting queries only: the devices whose accounts fit, less those REGISTERED with the target (a device
            // is only ever registered with a target its accounts fit, and every target fits a device without any).
            long fitting = 0;
            for (Map.Entry<String, Long> e : counted.get().entrySet()) {
                if (e.getKey().isEmpty() || e.getKey().contains(";" + target + ";")) {
                    fitting += e.getValue();
                }
            }
            long registered = db.count("SELECT COUNT(*) FROM device_registration WHERE output_id = ? AND target = ?"
                    + " AND status <> 'FAILED'", outputId, target);
            return Math.max(0, fitting - registered);
        }
        return db.count("SELECT COUNT(*) FROM device_identity d WHERE d.output_id = ? AND " + HAS_INPUT
                        + " AND (d.accounts LIKE ?" + (forDevicesWithoutAccounts ? " OR d.accounts IS NULL" : "") + ")"
                        + " AND NOT EXISTS (SELECT 1 FROM device_registration r WHERE r.output_id = d.output_id"
                        + " AND r.device_id = d.device_id AND r.target = ? AND r.status <> 'FAILED')",
                outputId, "%;" + target + ";%", target);
    }

    /**
     * The distinct thing types and thing groups of the devices still to register with {@code target} (as
     * {@link #countPendingRegistrations} with devices without accounts): what must exist in its account before the
     * first of them is registered. One pass over the output's rows; only the distinct values are kept.
     */
    public ThingNames pendingThingNames(String outputId, String target) {
        Set<String> types = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        db.jdbc().query("SELECT DISTINCT d.thing_type, d.thing_groups FROM device_identity d WHERE d.output_id = ? AND "
                        + HAS_INPUT + " AND (d.thing_type IS NOT NULL OR d.thing_groups IS NOT NULL)"
                        + " AND (d.accounts LIKE ? OR d.accounts IS NULL)"
                        + " AND NOT EXISTS (SELECT 1 FROM device_registration r WHERE r.output_id = d.output_id"
                        + " AND r.device_id = d.device_id AND r.target = ? AND r.status <> 'FAILED')",
                (ResultSet rs) -> {
                    String type = rs.getString(1);
                    if (type != null) {
                        types.add(type);
                    }
                    groups.addAll(IdentityRows.undelimited(rs.getString(2)));
                }, outputId, "%;" + target + ";%", target);
        return new ThingNames(types, groups);
    }

    /** Identities issued before Keyline kept registration input in the ledger: they cannot be registered. */
    public long countWithoutRegistrationInput(String outputId) {
        return db.count("SELECT COUNT(*) FROM device_identity WHERE output_id = ? AND NOT " + HAS_INPUT, outputId);
    }

    /** Every target name some device's {@code accounts} column names. */
    public Set<String> accountsNamed(String outputId) {
        Set<String> names = new TreeSet<>();
        Optional<Map<String, Long>> counted = summary.of(outputId);
        if (counted.isPresent()) {
            counted.get().keySet().forEach(accounts -> names.addAll(IdentityRows.undelimited(accounts)));
            return names;
        }
        db.jdbc().query("SELECT DISTINCT accounts FROM device_identity WHERE output_id = ? AND accounts IS NOT NULL",
                (ResultSet rs) -> {
                    names.addAll(IdentityRows.undelimited(rs.getString(1)));
                }, outputId);
        return names;
    }
}
