package dev.keyline.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger's side of {@code keyline deregister}, on {@code device_registration}: which things registration created
 * (the only ones deregistration deletes), the (device, target) pairs marked for withdrawal with their intent and
 * reason, and how each withdrawal ended. Writes join the caller's transaction, like {@link Ledger}'s. Thread-safe.
 * <p>
 * A pair goes REGISTERED -> DEREGISTERING or REVOKING (marked before the first call, in one transaction) ->
 * DEREGISTERED or REVOKED (in the deregister step's chunk transaction). A pair whose withdrawal failed stays in flight
 * with the error, and the next {@code keyline deregister} finishes it.
 */
public final class Deregistrations {

    private static final int MAX_TEXT = 2000;
    private static final int MAX_ERROR_CODE = 128;
    private static final int IN_LIST = 500;
    private static final String IN_FLIGHT = "status IN ('DEREGISTERING', 'REVOKING')";

    private final JdbcTemplate jdbc;

    public Deregistrations(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    // ------------------------------------------------------------------ registration's side

    /** Whether a registration made the thing of a (device, target) it recorded REGISTERED. */
    public record Ownership(String outputId, String deviceId, String target, boolean thingCreated) {
        public Ownership {
            Objects.requireNonNull(outputId, "outputId");
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(target, "target");
        }
    }

    /** Records, after the registrations themselves and in their transaction, which of their things they created. */
    public void recordOwnership(List<Ownership> owned) {
        if (owned.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("UPDATE device_registration SET thing_created = ? WHERE output_id = ? AND device_id = ? AND target = ?",
                owned, owned.size(), (ps, o) -> {
                    ps.setBoolean(1, o.thingCreated());
                    ps.setString(2, o.outputId());
                    ps.setString(3, o.deviceId());
                    ps.setString(4, o.target());
                });
    }

    /**
     * Makes DEREGISTERED devices of the targets pending again ({@code keyline register --again-deregistered}): FAILED
     * with code {@code Deregistered}, so that the next registration registers them. REVOKED devices are not: AWS
     * never activates a revoked certificate again.
     *
     * @return the pairs made pending
     */
    public int reopenDeregistered(String outputId, Collection<String> targets, Instant now) {
        int reopened = 0;
        for (String target : targets) {
            reopened += jdbc.update("UPDATE device_registration SET status = 'FAILED', error_code = 'Deregistered',"
                    + " error_message = 'deregistered before; registered again on request (--again-deregistered)', updated_at = ?"
                    + " WHERE output_id = ? AND target = ? AND status = 'DEREGISTERED'", utc(now), outputId, target);
        }
        return reopened;
    }

    // ------------------------------------------------------------------ selection

    /**
     * A (device, target) row as deregistration sees it.
     *
     * @param thingArn     the thing its registration attached the certificate to
     * @param thingCreated true only when the registration recorded that it created the thing
     */
    public record Row(String deviceId, String target, RegistrationStatus status, Optional<String> certificateArn,
                      Optional<String> thingArn, boolean thingCreated, Optional<String> reason) {
        public Row {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(certificateArn, "certificateArn");
            Objects.requireNonNull(thingArn, "thingArn");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Of the given device ids, those the output has no identity for. */
    public Set<String> unknownDevices(String outputId, Collection<String> deviceIds) {
        Set<String> unknown = new TreeSet<>(deviceIds);
        forEachSlice(deviceIds, (slice, marks) -> jdbc.query("SELECT device_id FROM device_identity WHERE output_id = ? AND device_id IN ("
                + marks + ")", (ResultSet rs) -> {
                    unknown.remove(rs.getString(1));
                }, args(outputId, slice)));
        return unknown;
    }

    /** The registration rows of the given devices with the given targets, by device id, then target. */
    public Map<String, List<Row>> rowsOf(String outputId, Collection<String> deviceIds, Collection<String> targets) {
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        Set<String> wanted = Set.copyOf(targets);
        forEachSlice(deviceIds, (slice, marks) -> jdbc.query("SELECT * FROM device_registration WHERE output_id = ? AND device_id IN ("
                + marks + ") ORDER BY device_id, target", (ResultSet rs) -> {
                    Row row = row(rs);
                    if (wanted.contains(row.target())) {
                        rows.computeIfAbsent(row.deviceId(), d -> new ArrayList<>()).add(row);
                    }
                }, args(outputId, slice)));
        return rows;
    }

    /**
     * What a deregistration of every registered device of a target would take: REGISTERED pairs (and those in flight
     * already), how many have a thing, and how many of those things registration created.
     */
    public record TargetSelection(String target, long devices, long withThing, long thingsCreated) {
    }

    /** {@link TargetSelection} per target, counting queries only ({@code keyline deregister --plan}). */
    public List<TargetSelection> selection(String outputId, Collection<String> targets) {
        List<TargetSelection> result = new ArrayList<>();
        for (String target : targets) {
            result.add(jdbc.queryForObject("SELECT COUNT(*), COUNT(thing_arn),"
                            + " COALESCE(SUM(CASE WHEN thing_created AND thing_arn IS NOT NULL THEN 1 ELSE 0 END), 0)"
                            + " FROM device_registration WHERE output_id = ? AND target = ?"
                            + " AND (status = 'REGISTERED' OR " + IN_FLIGHT + ")",
                    (rs, n) -> new TargetSelection(target, rs.getLong(1), rs.getLong(2), rs.getLong(3)), outputId, target));
        }
        return result;
    }

    /**
     * Marks REGISTERED pairs for withdrawal, before any call: DEREGISTERING (or REVOKING) with the reason. Pairs in
     * flight already keep their own intent.
     *
     * @param devices the devices to mark; empty: every device of the targets
     * @return the pairs marked
     */
    public int mark(String outputId, Collection<String> targets, Optional<Collection<String>> devices, boolean revoke,
                    Optional<String> reason, Instant now) {
        String status = (revoke ? RegistrationStatus.REVOKING : RegistrationStatus.DEREGISTERING).name();
        String why = reason.map(r -> truncate(r, MAX_TEXT)).orElse(null);
        // One transaction: a kill while marking leaves every pair as it was, or every pair marked.
        return new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())).execute(tx ->
                markAll(outputId, targets, devices, status, why, now));
    }

    private int markAll(String outputId, Collection<String> targets, Optional<Collection<String>> devices, String status,
                        String why, Instant now) {
        String set = "UPDATE device_registration SET status = ?, withdrawal_reason = ?, error_code = NULL, error_message = NULL,"
                + " updated_at = ? WHERE output_id = ? AND target = ? AND status = 'REGISTERED'";
        int marked = 0;
        for (String target : targets) {
            if (devices.isEmpty()) {
                marked += jdbc.update(set, status, why, utc(now), outputId, target);
                continue;
            }
            List<String> ids = List.copyOf(devices.get());
            int[][] counts = jdbc.batchUpdate(set + " AND device_id = ?", ids, 1000, (ps, id) -> {
                ps.setString(1, status);
                ps.setString(2, why);
                ps.setObject(3, utc(now));
                ps.setString(4, outputId);
                ps.setString(5, target);
                ps.setString(6, id);
            });
            for (int[] batch : counts) {
                for (int n : batch) {
                    marked += Math.max(n, 0);
                }
            }
        }
        return marked;
    }

    /** Pairs of the targets in flight: marked, not yet DEREGISTERED or REVOKED. */
    public long countInFlight(String outputId, Collection<String> targets) {
        long n = 0;
        for (String target : targets) {
            Long c = jdbc.queryForObject("SELECT COUNT(*) FROM device_registration WHERE output_id = ? AND target = ? AND "
                    + IN_FLIGHT, Long.class, outputId, target);
            n += c == null ? 0 : c;
        }
        return n;
    }

    /** Targets with pairs in flight, whichever run marked them. */
    public List<String> targetsInFlight(String outputId) {
        return jdbc.queryForList("SELECT DISTINCT target FROM device_registration WHERE output_id = ? AND " + IN_FLIGHT
                + " ORDER BY target", String.class, outputId);
    }

    /**
     * Up to {@code limit} pairs in flight with the targets, after ({@code afterDevice}, {@code afterTarget}) in
     * (device id, target) order (null: from the start). Keyset paging: a restart continues from a position.
     */
    public List<Row> inFlight(String outputId, Collection<String> targets, String afterDevice, String afterTarget, int limit) {
        if (targets.isEmpty()) {
            return List.of();
        }
        String marks = String.join(", ", java.util.Collections.nCopies(targets.size(), "?"));
        List<Object> args = new ArrayList<>();
        args.add(outputId);
        args.addAll(targets);
        String after = "";
        if (afterDevice != null) {
            after = " AND (device_id > ? OR (device_id = ? AND target > ?))";
            args.addAll(List.of(afterDevice, afterDevice, afterTarget));
        }
        args.add(limit);
        return jdbc.query("SELECT * FROM device_registration WHERE output_id = ? AND target IN (" + marks + ") AND " + IN_FLIGHT
                + after + " ORDER BY device_id, target LIMIT ?", (rs, n) -> row(rs), args.toArray());
    }

    // ------------------------------------------------------------------ outcomes

    /**
     * How one pair's withdrawal ended.
     *
     * @param status       DEREGISTERED or REVOKED when it is done; the pair's in-flight status when it failed
     * @param thingOutcome what became of the thing, when done
     * @param errorCode    AWS's (or Keyline's) error code, exactly when it failed
     */
    public record Outcome(String deviceId, String target, RegistrationStatus status, Optional<String> thingOutcome,
                          Optional<String> errorCode, Optional<String> errorMessage, long jobExecutionId, Instant at) {
        public Outcome {
            Objects.requireNonNull(deviceId, "deviceId");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(thingOutcome, "thingOutcome");
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(errorMessage, "errorMessage");
            Objects.requireNonNull(at, "at");
            if (status.withdrawn() == errorCode.isPresent() || !(status.withdrawn() || status.inFlight())) {
                throw new IllegalArgumentException(deviceId + " @ " + target + ": a withdrawal ends DEREGISTERED or REVOKED, "
                        + "or stays in flight with an error code; not " + status + " with " + errorCode);
            }
        }
    }

    /** Writes a chunk's outcomes in the caller's transaction; only pairs still in flight change. */
    public void record(String outputId, List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("UPDATE device_registration SET status = ?, thing_outcome = COALESCE(?, thing_outcome), error_code = ?,"
                        + " error_message = ?, job_execution_id = ?, updated_at = ?"
                        + " WHERE output_id = ? AND device_id = ? AND target = ? AND " + IN_FLIGHT,
                outcomes, outcomes.size(), (ps, o) -> {
                    ps.setString(1, o.status().name());
                    ps.setString(2, o.thingOutcome().orElse(null));
                    ps.setString(3, o.errorCode().map(c -> truncate(c, MAX_ERROR_CODE)).orElse(null));
                    ps.setString(4, o.errorMessage().map(m -> truncate(m, MAX_TEXT)).orElse(null));
                    ps.setLong(5, o.jobExecutionId());
                    ps.setObject(6, utc(o.at()));
                    ps.setString(7, outputId);
                    ps.setString(8, o.deviceId());
                    ps.setString(9, o.target());
                });
    }

    /**
     * Per target: pairs DEREGISTERED, REVOKED and still in flight, things deleted and kept, and the in-flight pairs'
     * errors grouped by code with one message each.
     */
    public record TargetWithdrawals(String target, long deregistered, long revoked, long inFlight, long thingsDeleted,
                                    long thingsKept, Map<String, Long> errors, Map<String, String> exampleMessages) {
    }

    public List<TargetWithdrawals> summary(String outputId) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Map<String, Long>> errors = new HashMap<>();
        Map<String, Map<String, String>> examples = new HashMap<>();
        jdbc.query("SELECT target, status, thing_outcome, error_code, COUNT(*), MIN(error_message) FROM device_registration"
                        + " WHERE output_id = ? AND status IN ('DEREGISTERED', 'REVOKED', 'DEREGISTERING', 'REVOKING')"
                        + " GROUP BY target, status, thing_outcome, error_code ORDER BY target",
                (ResultSet rs) -> {
                    String target = rs.getString(1);
                    RegistrationStatus status = RegistrationStatus.valueOf(rs.getString(2));
                    String thing = rs.getString(3);
                    long n = rs.getLong(5);
                    long[] c = counts.computeIfAbsent(target, t -> new long[5]);
                    c[status == RegistrationStatus.DEREGISTERED ? 0 : status == RegistrationStatus.REVOKED ? 1 : 2] += n;
                    if (status.withdrawn() && "DELETED".equals(thing)) {
                        c[3] += n;
                    } else if (status.withdrawn() && thing != null && thing.startsWith("KEPT")) {
                        c[4] += n;
                    }
                    if (status.inFlight() && rs.getString(4) != null) {
                        errors.computeIfAbsent(target, t -> new LinkedHashMap<>()).merge(rs.getString(4), n, Long::sum);
                        examples.computeIfAbsent(target, t -> new LinkedHashMap<>()).putIfAbsent(rs.getString(4), rs.getString(6));
                    }
                }, outputId);
        List<TargetWithdrawals> result = new ArrayList<>();
        counts.forEach((target, c) -> result.add(new TargetWithdrawals(target, c[0], c[1], c[2], c[3], c[4],
                errors.getOrDefault(target, Map.of()), examples.getOrDefault(target, Map.of()))));
        return result;
    }

    /** Per deregister execution: pairs it withdrew that stay so, and pairs whose last attempt by it failed. */
    public Map<Long, RegistrationTally> tallies(String outputId) {
        Map<Long, long[]> counts = new HashMap<>();
        try {
            jdbc.query("SELECT job_execution_id, status, COUNT(*) FROM device_registration WHERE output_id = ?"
                            + " AND (status IN ('DEREGISTERED', 'REVOKED') OR (" + IN_FLIGHT + " AND error_code IS NOT NULL))"
                            + " GROUP BY job_execution_id, status",
                    (ResultSet rs) -> {
                        long[] c = counts.computeIfAbsent(rs.getLong(1), k -> new long[2]);
                        c[RegistrationStatus.valueOf(rs.getString(2)).withdrawn() ? 0 : 1] += rs.getLong(3);
                    }, outputId);
        } catch (org.springframework.jdbc.BadSqlGrammarException e) {
            return Map.of(); // a ledger from before registration, opened read-only
        }
        Map<Long, RegistrationTally> tallies = new HashMap<>();
        counts.forEach((execution, c) -> tallies.put(execution, new RegistrationTally(c[0], c[1])));
        return tallies;
    }

    // ------------------------------------------------------------------ helpers

    private interface Slice {
        void query(List<String> slice, String marks);
    }

    private static void forEachSlice(Collection<String> ids, Slice slice) {
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += IN_LIST) {
            List<String> part = all.subList(from, Math.min(all.size(), from + IN_LIST));
            slice.query(part, String.join(", ", java.util.Collections.nCopies(part.size(), "?")));
        }
    }

    private static Object[] args(String first, List<String> rest) {
        Object[] args = new Object[rest.size() + 1];
        args[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            args[i + 1] = rest.get(i);
        }
        return args;
    }

    private static Row row(ResultSet rs) throws java.sql.SQLException {
        return new Row(rs.getString("device_id"), rs.getString("target"), RegistrationStatus.valueOf(rs.getString("status")),
                Optional.ofNullable(rs.getString("certificate_arn")), Optional.ofNullable(rs.getString("thing_arn")),
                rs.getBoolean("thing_created"), Optional.ofNullable(rs.getString("withdrawal_reason")));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
