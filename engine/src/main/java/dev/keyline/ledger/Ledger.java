package dev.keyline.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;


/**
 * The ledger on a JDBC database (H2 or PostgreSQL). Writes join the caller's transaction (Spring's
 * DataSource-bound connection), which is how a chunk's identities commit together with the chunk's reader
 * position, or not at all. Thread-safe.
 */
public final class Ledger {

    private static final int MAX_REASON = 2000;
    private static final int MAX_REJECTED_ID = 160;
    private static final int MAX_ERROR_CODE = 128;
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> ATTRIBUTES = new TypeReference<>() { };

    /** A row carries what registration needs: the certificate, as bytes or (rows written before) in base64. */
    private static final String HAS_REGISTRATION_INPUT = "(certificate IS NOT NULL OR certificate_der IS NOT NULL)";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readTransaction;
    private volatile Boolean h2;

    public Ledger(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        // PostgreSQL streams a result set only inside a transaction; without one it loads every row first.
        this.readTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.readTransaction.setReadOnly(true);
    }

    /**
     * Creates the tables when missing; safe to call on every start. Not on a ledger opened read-only ({@code keyline
     * status} on an output no process uses): even its no-op statements ({@code ADD COLUMN IF NOT EXISTS}) are refused
     * there, and such a ledger was made by a run, which created the schema.
     */
    public void createSchema() {
        if (readOnly()) {
            return;
        }
        try (InputStream in = Ledger.class.getResourceAsStream("schema.sql")) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String statement : sql.replaceAll("(?m)^--.*$", "").split(";")) {
                if (!statement.isBlank()) {
                    jdbc.execute(statement.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the ledger schema", e);
        }
        migrateDeviceMadeKeys();
    }

    private boolean readOnly() {
        Boolean readOnly = jdbc.execute((ConnectionCallback<Boolean>) c -> c.getMetaData().isReadOnly());
        return Boolean.TRUE.equals(readOnly);
    }

    /**
     * Copies the keys of CSR devices recorded before {@code device_made_key} existed into it, once per ledger (a
     * fresh ledger has none, so this costs one lookup). Keys were unique across the ledger then too, so grouping by
     * key only guards against a ledger that was edited by hand.
     */
    private void migrateDeviceMadeKeys() {
        String name = "device_made_key";
        Integer done = jdbc.queryForObject("SELECT COUNT(*) FROM ledger_migration WHERE name = ?", Integer.class, name);
        if (done != null && done > 0) {
            return;
        }
        new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())).executeWithoutResult(s -> {
            jdbc.update("INSERT INTO device_made_key (public_key_sha256, output_id, device_id)"
                    + " SELECT d.public_key_sha256, MIN(d.output_id), MIN(d.device_id) FROM device_identity d"
                    + " WHERE d.key_location = ? AND NOT EXISTS"
                    + " (SELECT 1 FROM device_made_key k WHERE k.public_key_sha256 = d.public_key_sha256)"
                    + " GROUP BY d.public_key_sha256", LedgerEntry.DEVICE_MADE_KEY);
            jdbc.update("INSERT INTO ledger_migration (name, applied_at) VALUES (?, ?)", name, utc(Instant.now()));
        });
    }

    public Optional<LedgerEntry> find(String outputId, String deviceId) {
        List<LedgerEntry> found = jdbc.query("SELECT * FROM device_identity WHERE output_id = ? AND device_id = ?",
                (rs, n) -> entry(rs), outputId, deviceId);
        return found.stream().findFirst();
    }

    /**
     * The device that made this public key itself (SHA-256 of its SubjectPublicKeyInfo) and got a certificate for
     * it through a CSR, in any output. Keys Keyline made are not looked up: they are fresh by construction.
     */
    public Optional<String> deviceWithPublicKey(String publicKeySha256) {
        List<String> found = jdbc.query("SELECT device_id FROM device_made_key WHERE public_key_sha256 = ?",
                (rs, n) -> rs.getString(1), publicKeySha256);
        return found.stream().findFirst();
    }

    public void recordIssued(List<LedgerEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        // The output's counts no longer hold: the next export writes them again (a no-op delete, without locks,
        // once they are gone).
        entries.stream().map(LedgerEntry::outputId).distinct()
                .forEach(o -> jdbc.update("DELETE FROM registration_summary WHERE output_id = ?", o));
        jdbc.batchUpdate("INSERT INTO device_identity (output_id, device_id, job_instance_id, job_execution_id, row_index,"
                        + " source_line, thing_name, certificate_id, serial_hex, public_key_sha256, not_before, not_after,"
                        + " key_algorithm, key_location, bundle_path, bundle_sums, status, issued_at,"
                        + " certificate, thing_type, thing_groups, attributes, accounts)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                entries, entries.size(), (ps, e) -> {
                    ps.setString(1, e.outputId());
                    ps.setString(2, e.deviceId());
                    ps.setLong(3, e.jobInstanceId());
                    ps.setLong(4, e.jobExecutionId());
                    ps.setLong(5, e.rowIndex());
                    ps.setLong(6, e.sourceLine());
                    ps.setString(7, e.thingName());
                    ps.setString(8, e.certificateId());
                    ps.setString(9, e.serialHex());
                    ps.setString(10, e.publicKeySha256());
                    ps.setObject(11, utc(e.notBefore()));
                    ps.setObject(12, utc(e.notAfter()));
                    ps.setString(13, e.keyAlgorithm());
                    ps.setString(14, e.keyLocation());
                    ps.setString(15, e.bundlePath());
                    ps.setString(16, e.bundleSums());
                    ps.setString(17, e.status().name());
                    ps.setObject(18, utc(e.issuedAt()));
                    Optional<RegistrationInput> r = e.registration();
                    ps.setBytes(19, r.map(RegistrationInput::certificateDer).orElse(null));
                    ps.setString(20, r.flatMap(RegistrationInput::thingType).orElse(null));
                    ps.setString(21, r.map(i -> delimited(i.thingGroups())).orElse(null));
                    ps.setString(22, r.map(i -> JSON.writeValueAsString(i.attributes())).orElse(null));
                    ps.setString(23, r.map(i -> delimited(i.accounts())).orElse(null));
                });
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
        if (isH2()) {
            // One H2 ledger has one process, whose partitions already keep a key to one device in flight.
            Integer held = jdbc.queryForObject("SELECT COUNT(*) FROM device_made_key WHERE public_key_sha256 = ?",
                    Integer.class, publicKeySha256);
            if (held == null || held == 0) {
                jdbc.update("INSERT INTO device_made_key (public_key_sha256, output_id, device_id) VALUES (?, ?, ?)",
                        publicKeySha256, outputId, deviceId);
            }
        } else {
            jdbc.update("INSERT INTO device_made_key (public_key_sha256, output_id, device_id) VALUES (?, ?, ?)"
                    + " ON CONFLICT (public_key_sha256) DO NOTHING", publicKeySha256, outputId, deviceId);
        }
        List<String> holder = jdbc.query("SELECT output_id, device_id FROM device_made_key WHERE public_key_sha256 = ?",
                (rs, n) -> rs.getString(1) + "\n" + rs.getString(2), publicKeySha256);
        return holder.contains(outputId + "\n" + deviceId);
    }

    /**
     * Records the archives a chunk published (the archive bundle layout), in the chunk's transaction.
     *
     * @param archives path (relative to the output folder), SHA-256 and size of each
     */
    public void recordArchives(String outputId, long jobExecutionId, List<ArchiveRecord> archives, Instant now) {
        if (archives.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO bundle_archive (output_id, path, sha256, size_bytes, job_execution_id, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                archives, archives.size(), (ps, a) -> {
                    ps.setString(1, outputId);
                    ps.setString(2, a.path());
                    ps.setString(3, a.sha256());
                    ps.setLong(4, a.size());
                    ps.setLong(5, jobExecutionId);
                    ps.setObject(6, utc(now));
                });
    }

    /** Records the file of a chunk's output manifest rows, in the chunk's transaction. */
    public void recordManifestChunk(String outputId, long jobExecutionId, ManifestChunk chunk) {
        jdbc.update("INSERT INTO manifest_chunk (output_id, path, first_device_id, last_device_id, rows_count, size_bytes,"
                        + " job_instance_id, first_row, job_execution_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", outputId,
                chunk.path(), chunk.firstDeviceId(), chunk.lastDeviceId(), chunk.rows(), chunk.size(), chunk.jobInstanceId(),
                chunk.firstRow(), jobExecutionId);
    }

    /**
     * The manifest row files recorded for an output, by first device id. Empty for a ledger opened read-only that
     * predates them.
     */
    public List<ManifestChunk> manifestChunks(String outputId) {
        try {
            return jdbc.query("SELECT path, first_device_id, last_device_id, rows_count, size_bytes, job_instance_id,"
                            + " first_row FROM manifest_chunk WHERE output_id = ? ORDER BY first_device_id",
                    (rs, n) -> new ManifestChunk(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7)), outputId);
        } catch (org.springframework.jdbc.BadSqlGrammarException e) {
            return List.of();
        }
    }

    /** The archives recorded for an output, by path. */
    public List<ArchiveRecord> archives(String outputId) {
        return jdbc.query("SELECT path, sha256, size_bytes FROM bundle_archive WHERE output_id = ? ORDER BY path",
                (rs, n) -> new ArchiveRecord(rs.getString(1), rs.getString(2), rs.getLong(3)), outputId);
    }

    public void recordRejected(List<Rejection> rejections) {
        if (rejections.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO device_reject (output_id, job_instance_id, row_index, source_line, device_id, reason,"
                        + " rejected_at, reason_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rejections, rejections.size(), (ps, r) -> {
                    ps.setString(1, r.outputId());
                    ps.setLong(2, r.jobInstanceId());
                    ps.setLong(3, r.rowIndex());
                    ps.setLong(4, r.sourceLine());
                    ps.setString(5, truncate(r.deviceId(), MAX_REJECTED_ID));
                    ps.setString(6, truncate(r.reason(), MAX_REASON));
                    ps.setObject(7, utc(r.rejectedAt()));
                    ps.setString(8, r.code());
                });
    }

    public long countIssued(String outputId) {
        return count("SELECT COUNT(*) FROM device_identity WHERE output_id = ?", outputId);
    }

    /** Identities of the output issued by runs other than this one. */
    public long countIssuedByOtherRuns(String outputId, long jobInstanceId) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM device_identity WHERE output_id = ? AND job_instance_id <> ?",
                Long.class, outputId, jobInstanceId);
        return n == null ? 0 : n;
    }

    public long countIssuedBy(long jobInstanceId) {
        return count("SELECT COUNT(*) FROM device_identity WHERE job_instance_id = ?", jobInstanceId);
    }

    public long countRejected(long jobInstanceId) {
        return count("SELECT COUNT(*) FROM device_reject WHERE job_instance_id = ?", jobInstanceId);
    }

    /**
     * Removes what a run holds for rows {@code [fromRow, endRow)}: identities, rejections, device-made keys, and the
     * chunk archives no identity names any more; in one transaction. Only for rows the JobRepository says were never
     * committed (past a partition's saved position), which a consistent ledger never holds.
     *
     * @return the identities and rejections removed
     */
    public long removeUncommitted(long jobInstanceId, long fromRow, long endRow) {
        return new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())).execute(s -> {
            jdbc.update("DELETE FROM device_made_key k WHERE EXISTS (SELECT 1 FROM device_identity d"
                    + " WHERE d.output_id = k.output_id AND d.device_id = k.device_id AND d.job_instance_id = ?"
                    + " AND d.row_index >= ? AND d.row_index < ?)", jobInstanceId, fromRow, endRow);
            // A chunk's archive is named in its identities' bundle_path: it goes with them when no other identity is in it.
            List<Map<String, Object>> archives = jdbc.queryForList("SELECT DISTINCT output_id, bundle_path FROM"
                    + " device_identity WHERE job_instance_id = ? AND row_index >= ? AND row_index < ?",
                    jobInstanceId, fromRow, endRow);
            archives.stream().map(a -> a.get("output_id")).distinct()
                    .forEach(o -> jdbc.update("DELETE FROM registration_summary WHERE output_id = ?", o));
            long removed = jdbc.update("DELETE FROM device_identity WHERE job_instance_id = ? AND row_index >= ?"
                    + " AND row_index < ?", jobInstanceId, fromRow, endRow);
            removed += jdbc.update("DELETE FROM device_reject WHERE job_instance_id = ? AND row_index >= ?"
                    + " AND row_index < ?", jobInstanceId, fromRow, endRow);
            // A chunk's manifest rows start at its first row, which is past the position when the chunk never committed.
            jdbc.update("DELETE FROM manifest_chunk WHERE job_instance_id = ? AND first_row >= ? AND first_row < ?",
                    jobInstanceId, fromRow, endRow);
            for (Map<String, Object> archive : archives) {
                jdbc.update("DELETE FROM bundle_archive a WHERE a.output_id = ? AND a.path = ? AND NOT EXISTS"
                        + " (SELECT 1 FROM device_identity d WHERE d.output_id = a.output_id AND d.bundle_path = a.path)",
                        archive.get("output_id"), archive.get("bundle_path")); // Spring's row maps ignore case
            }
            return removed;
        });
    }

    /** Every identity of the output, in manifest order within each run. Streams: memory stays flat. */
    public void forEachIssued(String outputId, Consumer<LedgerEntry> consumer) {
        stream("SELECT * FROM device_identity WHERE output_id = ? ORDER BY job_instance_id, row_index",
                rs -> consumer.accept(entry(rs)), outputId);
    }

    public void forEachRejected(long jobInstanceId, Consumer<Rejection> consumer) {
        stream("SELECT * FROM device_reject WHERE job_instance_id = ? ORDER BY row_index",
                rs -> consumer.accept(new Rejection(rs.getString("output_id"), rs.getLong("job_instance_id"),
                        rs.getLong("row_index"), rs.getLong("source_line"), rs.getString("device_id"),
                        rs.getString("reason"), instant(rs, "rejected_at"), code(rs))), jobInstanceId);
    }

    private static String code(ResultSet rs) throws SQLException {
        String code = rs.getString("reason_code");
        return code == null ? Rejection.UNRECORDED : code;
    }

    // ------------------------------------------------------------------ the run report

    /** Records one committed chunk, in the chunk's transaction (the caller's). */
    public void recordChunk(ChunkCommit chunk) {
        jdbc.update("INSERT INTO chunk_commit (job_execution_id, step_name, committed_at, issued, rejected, registered, failed,"
                        + " key_algorithms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", chunk.jobExecutionId(), chunk.stepName(),
                utc(chunk.committedAt()), chunk.issued(), chunk.rejected(), chunk.registered(), chunk.failed(),
                chunk.keyAlgorithms().isEmpty() ? null : chunk.keyAlgorithms());
    }

    /** The key algorithms of the chunks of these executions, with how many identities each, most first. */
    public Map<String, Long> keyAlgorithms(List<Long> jobExecutionIds) {
        Map<String, Long> result = new HashMap<>();
        for (Long execution : jobExecutionIds) {
            for (String counts : jdbc.queryForList("SELECT key_algorithms FROM chunk_commit WHERE job_execution_id = ?"
                    + " AND key_algorithms IS NOT NULL", String.class, execution)) {
                for (String pair : counts.split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        result.merge(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)), Long::sum);
                    }
                }
            }
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        result.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** The committed chunks of an execution, oldest first. */
    public List<ChunkCommit> chunkCommits(long jobExecutionId) {
        return jdbc.query("SELECT job_execution_id, step_name, committed_at, issued, rejected, registered, failed,"
                        + " key_algorithms FROM chunk_commit WHERE job_execution_id = ? ORDER BY committed_at",
                (rs, n) -> new ChunkCommit(rs.getLong(1), rs.getString(2), instant(rs, 3), rs.getInt(4), rs.getInt(5),
                        rs.getInt(6), rs.getInt(7), rs.getString(8) == null ? "" : rs.getString(8)), jobExecutionId);
    }

    /**
     * Replaces the call counts of an execution's targets and operations with these (counted since the execution
     * started), in the caller's transaction. Update first, insert what was not there, as for registrations.
     */
    public void recordCalls(List<CallCount> counts) {
        for (CallCount c : counts) {
            String buckets = LatencyBuckets.encode(c.latencyBuckets());
            int updated = jdbc.update("UPDATE registration_call SET calls = ?, throttles = ?, faults = ?, latency_buckets = ?"
                            + " WHERE job_execution_id = ? AND target = ? AND operation = ?", c.calls(), c.throttles(),
                    c.faults(), buckets, c.jobExecutionId(), c.target(), c.operation());
            if (updated == 0) {
                jdbc.update("INSERT INTO registration_call (job_execution_id, target, operation, calls, throttles, faults,"
                                + " latency_buckets) VALUES (?, ?, ?, ?, ?, ?, ?)", c.jobExecutionId(), c.target(),
                        c.operation(), c.calls(), c.throttles(), c.faults(), buckets);
            }
        }
    }

    /** The call counts of an execution, by target and operation. */
    public List<CallCount> calls(long jobExecutionId) {
        return jdbc.query("SELECT job_execution_id, target, operation, calls, throttles, faults, latency_buckets"
                        + " FROM registration_call WHERE job_execution_id = ? ORDER BY target, operation",
                (rs, n) -> new CallCount(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                        rs.getLong(6), LatencyBuckets.decode(rs.getString(7))), jobExecutionId);
    }

    /**
     * A run's rejections grouped by reason code, largest group first, each with its first {@code examples} rows. Two
     * small queries: the counts, then the examples of each code (rows in manifest order), so a run with a million
     * rejections costs no more memory than one with ten.
     */
    public List<RejectGroup> rejectGroups(long jobInstanceId, int examples) {
        // The same expression in SELECT and GROUP BY, as a literal: PostgreSQL takes two placeholders for two expressions.
        String code = "COALESCE(reason_code, '" + Rejection.UNRECORDED + "')";
        List<Object[]> counts = jdbc.query("SELECT " + code + ", COUNT(*) FROM device_reject WHERE job_instance_id = ?"
                        + " GROUP BY " + code + " ORDER BY COUNT(*) DESC, 1",
                (rs, n) -> new Object[] {rs.getString(1), rs.getLong(2)}, jobInstanceId);
        List<RejectGroup> groups = new ArrayList<>();
        for (Object[] c : counts) {
            String groupCode = (String) c[0];
            List<Rejection> first = jdbc.query("SELECT * FROM device_reject WHERE job_instance_id = ? AND "
                            + (Rejection.UNRECORDED.equals(groupCode) ? "(reason_code IS NULL OR reason_code = ?)" : "reason_code = ?")
                            + " ORDER BY row_index LIMIT ?",
                    (rs, n) -> new Rejection(rs.getString("output_id"), rs.getLong("job_instance_id"), rs.getLong("row_index"),
                            rs.getLong("source_line"), rs.getString("device_id"), rs.getString("reason"),
                            instant(rs, "rejected_at"), code(rs)), jobInstanceId, groupCode, examples);
            groups.add(new RejectGroup(groupCode, (Long) c[1], first));
        }
        return groups;
    }

    private interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }

    /**
     * Runs a query whose rows are handled one at a time, without the database holding the whole result first.
     * PostgreSQL needs a transaction and a fetch size for that. H2 needs lazy execution: without it H2 computes the
     * whole result before the first row, and past {@code MAX_MEMORY_ROWS} writes it to a temporary file and reads it
     * back, which was over half of a 100,000-device export. The setting belongs to the connection, which goes back to
     * the pool afterwards, so it is switched off again. A handler must not query the ledger: its thread's connection
     * is the one streaming.
     */
    private void stream(String sql, RowHandler handler, Object... args) {
        readTransaction.executeWithoutResult(status -> {
            JdbcTemplate streaming = new JdbcTemplate(jdbc.getDataSource());
            streaming.setFetchSize(1000);
            if (!isH2()) {
                streaming.query(sql, handler::handle, args);
                return;
            }
            streaming.execute("SET LAZY_QUERY_EXECUTION TRUE");
            try {
                streaming.query(sql, handler::handle, args);
            } finally {
                streaming.execute("SET LAZY_QUERY_EXECUTION FALSE");
            }
        });
    }

    private boolean isH2() {
        Boolean h2 = this.h2;
        if (h2 == null) {
            h2 = jdbc.execute((ConnectionCallback<Boolean>) c -> "H2".equals(c.getMetaData().getDatabaseProductName()));
            this.h2 = h2;
        }
        return h2;
    }

    private long count(String sql, Object arg) {
        Long n = jdbc.queryForObject(sql, Long.class, arg);
        return n == null ? 0 : n;
    }

    /** Every device_identity column but the registration input's, prefixed {@code d.}. */
    private static final List<String> IDENTITY_COLUMN_NAMES = List.of("output_id", "device_id", "job_instance_id",
            "job_execution_id", "row_index", "source_line", "thing_name", "certificate_id", "serial_hex", "public_key_sha256",
            "not_before", "not_after", "key_algorithm", "key_location", "bundle_path", "bundle_sums", "status", "issued_at");
    private static final int IDENTITY_COLUMN_COUNT = IDENTITY_COLUMN_NAMES.size();
    private static final String IDENTITY_COLUMNS = String.join(", ", IDENTITY_COLUMN_NAMES.stream().map(c -> "d." + c).toList());

    /** An identity from a result set that begins with {@link #IDENTITY_COLUMNS}, in that order. */
    private static LedgerEntry identityColumns(ResultSet rs) throws SQLException {
        return new LedgerEntry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), instant(rs, 11), instant(rs, 12),
                rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16),
                LedgerEntry.IdentityStatus.valueOf(rs.getString(17)), instant(rs, 18), Optional.empty());
    }

    /** An identity from a result set of all its columns ({@code SELECT *}), with the registration input. */
    private static LedgerEntry entry(ResultSet rs) throws SQLException {
        return new LedgerEntry(rs.getString("output_id"), rs.getString("device_id"), rs.getLong("job_instance_id"),
                rs.getLong("job_execution_id"), rs.getLong("row_index"), rs.getLong("source_line"),
                rs.getString("thing_name"), rs.getString("certificate_id"), rs.getString("serial_hex"),
                rs.getString("public_key_sha256"), instant(rs, "not_before"), instant(rs, "not_after"),
                rs.getString("key_algorithm"), rs.getString("key_location"),
                rs.getString("bundle_path"), rs.getString("bundle_sums"),
                LedgerEntry.IdentityStatus.valueOf(rs.getString("status")), instant(rs, "issued_at"),
                registrationInput(rs));
    }

    private static Optional<RegistrationInput> registrationInput(ResultSet rs) throws SQLException {
        byte[] der = rs.getBytes("certificate");
        if (der == null) {
            String base64 = rs.getString("certificate_der"); // a row written before the binary column
            if (base64 == null) {
                return Optional.empty();
            }
            der = Base64.getDecoder().decode(base64);
        }
        String attributes = rs.getString("attributes");
        return Optional.of(new RegistrationInput(der, Optional.ofNullable(rs.getString("thing_type")),
                undelimited(rs.getString("thing_groups")),
                attributes == null ? Map.of() : JSON.readValue(attributes, ATTRIBUTES), undelimited(rs.getString("accounts"))));
    }

    /** {@code ;a;b;}: a leading and trailing separator, so that {@code LIKE '%;a;%'} finds one name exactly. */
    private static String delimited(List<String> names) {
        return names.isEmpty() ? null : ";" + String.join(";", names) + ";";
    }

    private static List<String> undelimited(String value) {
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(value.split(";")).filter(s -> !s.isEmpty()).toList();
    }

    // ------------------------------------------------------------------ registration

    /**
     * Up to {@code limit} identities of the output after {@code afterDeviceId} (device id order; null: from the
     * start) that carry registration input, each with the targets it is already REGISTERED with. Keyset paging, so
     * a restart continues from a device id and memory holds one page.
     */
    public List<RegistrationCandidate> registrationCandidates(String outputId, String afterDeviceId, int limit) {
        List<RegistrationCandidate> page = new ArrayList<>(limit);
        Object[] args = afterDeviceId == null ? new Object[] {outputId, limit} : new Object[] {outputId, afterDeviceId, limit};
        jdbc.query("SELECT * FROM device_identity WHERE output_id = ? AND " + HAS_REGISTRATION_INPUT
                        + (afterDeviceId == null ? "" : " AND device_id > ?") + " ORDER BY device_id LIMIT ?",
                (ResultSet rs) -> {
                    page.add(new RegistrationCandidate(rs.getString("device_id"), rs.getString("thing_name"),
                            rs.getString("certificate_id"), registrationInput(rs).orElseThrow(), Set.of()));
                }, args);
        if (page.isEmpty()) {
            return page;
        }
        Map<String, Set<String>> registered = new HashMap<>();
        jdbc.query("SELECT device_id, target FROM device_registration WHERE output_id = ? AND device_id >= ? AND device_id <= ?"
                        + " AND status = 'REGISTERED'",
                (ResultSet rs) -> {
                    registered.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
                }, outputId, page.get(0).deviceId(), page.get(page.size() - 1).deviceId());
        if (registered.isEmpty()) {
            return page;
        }
        List<RegistrationCandidate> result = new ArrayList<>(page.size());
        for (RegistrationCandidate c : page) {
            result.add(new RegistrationCandidate(c.deviceId(), c.thingName(), c.certificateId(), c.input(),
                    registered.getOrDefault(c.deviceId(), Set.of())));
        }
        return result;
    }

    /**
     * Devices of the output still to register with {@code target}: those whose accounts name it, or (when
     * {@code forDevicesWithoutAccounts}) that name no accounts, and that have no REGISTERED row for it.
     */
    public long countPendingRegistrations(String outputId, String target, boolean forDevicesWithoutAccounts) {
        Optional<Map<String, Long>> summary = forDevicesWithoutAccounts ? registrationSummary(outputId) : Optional.empty();
        if (summary.isPresent()) {
            // Counting queries only: the devices whose accounts fit, less those REGISTERED with the target (a device
            // is only ever registered with a target its accounts fit, and every target fits a device without any).
            long fitting = 0;
            for (Map.Entry<String, Long> e : summary.get().entrySet()) {
                if (e.getKey().isEmpty() || e.getKey().contains(";" + target + ";")) {
                    fitting += e.getValue();
                }
            }
            Long registered = jdbc.queryForObject("SELECT COUNT(*) FROM device_registration WHERE output_id = ? AND target = ?"
                    + " AND status = 'REGISTERED'", Long.class, outputId, target);
            return Math.max(0, fitting - (registered == null ? 0 : registered));
        }
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM device_identity d WHERE d.output_id = ? AND " + HAS_REGISTRATION_INPUT
                        + " AND (d.accounts LIKE ?" + (forDevicesWithoutAccounts ? " OR d.accounts IS NULL" : "") + ")"
                        + " AND NOT EXISTS (SELECT 1 FROM device_registration r WHERE r.output_id = d.output_id"
                        + " AND r.device_id = d.device_id AND r.target = ? AND r.status = 'REGISTERED')",
                Long.class, outputId, "%;" + target + ";%", target);
        return n == null ? 0 : n;
    }

    /**
     * The distinct thing types and thing groups of the devices still to register with {@code target} (as
     * {@link #countPendingRegistrations} with devices without accounts): what must exist in its account before the
     * first of them is registered. One pass over the output's rows; only the distinct values are kept.
     */
    public ThingNames pendingThingNames(String outputId, String target) {
        Set<String> types = new TreeSet<>();
        Set<String> groups = new TreeSet<>();
        jdbc.query("SELECT DISTINCT d.thing_type, d.thing_groups FROM device_identity d WHERE d.output_id = ? AND "
                        + HAS_REGISTRATION_INPUT + " AND (d.thing_type IS NOT NULL OR d.thing_groups IS NOT NULL)"
                        + " AND (d.accounts LIKE ? OR d.accounts IS NULL)"
                        + " AND NOT EXISTS (SELECT 1 FROM device_registration r WHERE r.output_id = d.output_id"
                        + " AND r.device_id = d.device_id AND r.target = ? AND r.status = 'REGISTERED')",
                (ResultSet rs) -> {
                    String type = rs.getString(1);
                    if (type != null) {
                        types.add(type);
                    }
                    groups.addAll(undelimited(rs.getString(2)));
                }, outputId, "%;" + target + ";%", target);
        return new ThingNames(types, groups);
    }

    /**
     * Per execution that recorded registrations of the output: how many of its outcomes still stand, REGISTERED and
     * FAILED. One pass over the output's registration rows (no certificates in them).
     */
    public Map<Long, RegistrationTally> registrationTallies(String outputId) {
        Map<Long, long[]> counts = new HashMap<>();
        try {
            jdbc.query("SELECT job_execution_id, status, COUNT(*) FROM device_registration WHERE output_id = ?"
                            + " GROUP BY job_execution_id, status",
                    (ResultSet rs) -> {
                        long[] c = counts.computeIfAbsent(rs.getLong(1), k -> new long[2]);
                        c[RegistrationStatus.REGISTERED.name().equals(rs.getString(2)) ? 0 : 1] += rs.getLong(3);
                    }, outputId);
        } catch (org.springframework.jdbc.BadSqlGrammarException e) {
            return Map.of(); // a ledger from before registration, opened read-only: it has no such table, and no registrations
        }
        Map<Long, RegistrationTally> tallies = new HashMap<>();
        counts.forEach((execution, c) -> tallies.put(execution, new RegistrationTally(c[0], c[1])));
        return tallies;
    }

    /** Identities issued before Keyline kept registration input in the ledger: they cannot be registered. */
    public long countWithoutRegistrationInput(String outputId) {
        return count("SELECT COUNT(*) FROM device_identity WHERE output_id = ? AND NOT " + HAS_REGISTRATION_INPUT, outputId);
    }

    /** Every target name some device's {@code accounts} column names. */
    public Set<String> accountsNamed(String outputId) {
        Set<String> names = new TreeSet<>();
        Optional<Map<String, Long>> summary = registrationSummary(outputId);
        if (summary.isPresent()) {
            summary.get().keySet().forEach(accounts -> names.addAll(undelimited(accounts)));
            return names;
        }
        jdbc.query("SELECT DISTINCT accounts FROM device_identity WHERE output_id = ? AND accounts IS NOT NULL",
                (ResultSet rs) -> {
                    names.addAll(undelimited(rs.getString(1)));
                }, outputId);
        return names;
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
        int[][] updated = jdbc.batchUpdate("UPDATE device_registration SET status = ?, certificate_arn = ?, thing_arn = ?,"
                        + " error_code = ?, error_message = ?, attempts = attempts + 1, job_execution_id = ?, updated_at = ?"
                        + " WHERE output_id = ? AND device_id = ? AND target = ?",
                records, records.size(), (ps, r) -> {
                    ps.setString(1, r.status().name());
                    ps.setString(2, r.certificateArn().orElse(null));
                    ps.setString(3, r.thingArn().orElse(null));
                    ps.setString(4, r.errorCode().map(c -> truncate(c, MAX_ERROR_CODE)).orElse(null));
                    ps.setString(5, r.errorMessage().map(m -> truncate(m, MAX_REASON)).orElse(null));
                    ps.setLong(6, r.jobExecutionId());
                    ps.setObject(7, utc(r.updatedAt()));
                    ps.setString(8, r.outputId());
                    ps.setString(9, r.deviceId());
                    ps.setString(10, r.target());
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
        jdbc.batchUpdate("INSERT INTO device_registration (output_id, device_id, target, status, certificate_arn, thing_arn,"
                        + " error_code, error_message, attempts, job_execution_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                fresh, fresh.size(), (ps, r) -> {
                    ps.setString(1, r.outputId());
                    ps.setString(2, r.deviceId());
                    ps.setString(3, r.target());
                    ps.setString(4, r.status().name());
                    ps.setString(5, r.certificateArn().orElse(null));
                    ps.setString(6, r.thingArn().orElse(null));
                    ps.setString(7, r.errorCode().map(c -> truncate(c, MAX_ERROR_CODE)).orElse(null));
                    ps.setString(8, r.errorMessage().map(m -> truncate(m, MAX_REASON)).orElse(null));
                    ps.setLong(9, r.jobExecutionId());
                    ps.setObject(10, utc(r.updatedAt()));
                });
    }

    /** Per target, status and error code: how many devices, and one of the messages (for the summary). */
    public List<TargetCount> registrationCounts(String outputId) {
        return jdbc.query("SELECT target, status, error_code, COUNT(*), MIN(error_message) FROM device_registration"
                        + " WHERE output_id = ? GROUP BY target, status, error_code ORDER BY target, status, error_code",
                (rs, n) -> new TargetCount(rs.getString(1), RegistrationStatus.valueOf(rs.getString(2)), rs.getString(3),
                        rs.getLong(4), rs.getString(5)), outputId);
    }

    /** The targets the output's devices have registration rows for, sorted. */
    public List<String> registrationTargets(String outputId) {
        return jdbc.queryForList("SELECT DISTINCT target FROM device_registration WHERE output_id = ? ORDER BY target",
                String.class, outputId);
    }

    /** Every registration row of one device, by target. */
    public List<RegistrationRecord> registrationsOf(String outputId, String deviceId) {
        return jdbc.query("SELECT * FROM device_registration WHERE output_id = ? AND device_id = ? ORDER BY target",
                (rs, n) -> registration(rs), outputId, deviceId);
    }

    /**
     * Every identity of the output with its registration rows (by target), in device id order. One joined, streamed
     * query: memory holds one device's rows.
     *
     * <p>Device id order is the primary key's, so the database streams rows straight off the index. In manifest
     * order H2 had to sort the whole output first, and past 40,000 rows it spills that sort to a temporary file:
     * on 100,000 devices that was most of the export's time.
     */
    /**
     * The output's identities in device id order, each with its registrations. The same pass counts the identities
     * that carry registration input by their accounts column and, when it is done, records those counts as the
     * output's registration summary ({@link #countPendingRegistrations} then answers without reading every row).
     */
    public void forEachIssuedWithRegistrations(String outputId, BiConsumer<LedgerEntry, List<RegistrationRecord>> consumer) {
        LedgerEntry[] current = {null};
        List<RegistrationRecord> rows = new ArrayList<>();
        Map<String, Long> summary = new HashMap<>();
        // Not d.*: the registration input (the certificate in base64, attributes) is most of a row's bytes and no
        // export needs it; reading and decoding it was a third of the export's time.
        stream("SELECT " + IDENTITY_COLUMNS + ", r.target AS r_target, r.status AS r_status, r.certificate_arn AS r_certificate_arn,"
                        + " r.thing_arn AS r_thing_arn, r.error_code AS r_error_code, r.error_message AS r_error_message,"
                        + " r.job_execution_id AS r_job_execution_id, r.updated_at AS r_updated_at,"
                        + " d.accounts, CASE WHEN d.certificate IS NOT NULL OR d.certificate_der IS NOT NULL THEN 1 ELSE 0 END"
                        + " FROM device_identity d LEFT JOIN device_registration r"
                        + " ON r.output_id = d.output_id AND r.device_id = d.device_id"
                        + " WHERE d.output_id = ? ORDER BY d.output_id, d.device_id",
                // By position, not by name: a name costs H2 a map lookup per column and row, 4% of a 1,000,000-row export.
                rs -> {
                    String deviceId = rs.getString(2);
                    if (current[0] == null || !current[0].deviceId().equals(deviceId)) {
                        if (current[0] != null) {
                            consumer.accept(current[0], byTarget(rows));
                        }
                        current[0] = identityColumns(rs);
                        rows.clear();
                        if (rs.getInt(IDENTITY_COLUMN_COUNT + 10) == 1) {
                            String accounts = rs.getString(IDENTITY_COLUMN_COUNT + 9);
                            summary.merge(accounts == null ? "" : accounts, 1L, Long::sum);
                        }
                    }
                    int r = IDENTITY_COLUMN_COUNT;
                    String target = rs.getString(r + 1);
                    if (target != null) {
                        rows.add(new RegistrationRecord(outputId, deviceId, target,
                                RegistrationStatus.valueOf(rs.getString(r + 2)), Optional.ofNullable(rs.getString(r + 3)),
                                Optional.ofNullable(rs.getString(r + 4)), Optional.ofNullable(rs.getString(r + 5)),
                                Optional.ofNullable(rs.getString(r + 6)), rs.getLong(r + 7), instant(rs, r + 8)));
                    }
                }, outputId);
        if (current[0] != null) {
            consumer.accept(current[0], byTarget(rows));
        }
        recordRegistrationSummary(outputId, summary);
    }

    /**
     * Every registration row of the output, in device id order (bytes, as Java compares ASCII ids: PostgreSQL is told
     * so, whatever the database's collation), then target. Streams: memory stays flat.
     */
    public void forEachRegistration(String outputId, Consumer<RegistrationRecord> consumer) {
        stream("SELECT * FROM device_registration WHERE output_id = ? ORDER BY output_id, device_id"
                + (isH2() ? "" : " COLLATE \"C\"") + ", target", rs -> consumer.accept(registration(rs)), outputId);
    }

    /**
     * The value under which {@link #recordRegistrationSummary} counts an identity: its {@code accounts} column as
     * stored ({@code ""} for none); empty when the identity carries no registration input, and so is not counted.
     */
    public static Optional<String> registrationSummaryKey(LedgerEntry entry) {
        return entry.registration().map(r -> r.accounts().isEmpty() ? "" : delimited(r.accounts()));
    }

    /** Replaces the output's registration summary: identities with registration input per accounts value. */
    public void recordRegistrationSummary(String outputId, Map<String, Long> summary) {
        try {
            new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())).executeWithoutResult(s -> {
                jdbc.update("DELETE FROM registration_summary WHERE output_id = ?", outputId);
                // A row even for an output without registrable identities, so that "no summary" means "not counted yet".
                Map<String, Long> rows = summary.isEmpty() ? Map.of("", 0L) : summary;
                rows.forEach((accounts, devices) -> jdbc.update(
                        "INSERT INTO registration_summary (output_id, accounts, devices) VALUES (?, ?, ?)", outputId, accounts,
                        devices));
            });
        } catch (RuntimeException e) {
            // Only a shortcut for register --plan: an export (say of a run that failed on a full disk) must not fail
            // for it. Rolled back, the table holds what it held, which is still exact or nothing.
            org.slf4j.LoggerFactory.getLogger(Ledger.class).warn("the registration summary of output {} was not recorded: {}",
                    outputId, e.getMessage());
        }
    }

    /** The output's registration summary, when the last export left one and no identity was written since. */
    private Optional<Map<String, Long>> registrationSummary(String outputId) {
        if (readOnly()) {
            return Optional.empty(); // a ledger opened read-only may predate the table
        }
        Map<String, Long> summary = new HashMap<>();
        jdbc.query("SELECT accounts, devices FROM registration_summary WHERE output_id = ?",
                (ResultSet rs) -> {
                    summary.put(rs.getString(1), rs.getLong(2));
                }, outputId);
        return summary.isEmpty() ? Optional.empty() : Optional.of(summary);
    }

    private static List<RegistrationRecord> byTarget(List<RegistrationRecord> rows) {
        return rows.stream().sorted(Comparator.comparing(RegistrationRecord::target)).toList();
    }

    private static RegistrationRecord registration(ResultSet rs) throws SQLException {
        return new RegistrationRecord(rs.getString("output_id"), rs.getString("device_id"), rs.getString("target"),
                RegistrationStatus.valueOf(rs.getString("status")), Optional.ofNullable(rs.getString("certificate_arn")),
                Optional.ofNullable(rs.getString("thing_arn")), Optional.ofNullable(rs.getString("error_code")),
                Optional.ofNullable(rs.getString("error_message")), rs.getLong("job_execution_id"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

}
