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
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger on a JDBC database (H2 or PostgreSQL). Writes join the caller's transaction (Spring's
 * DataSource-bound connection), which is how a chunk's identities commit together with the chunk's reader
 * position, or not at all. Thread-safe.
 */
public final class Ledger {

    private static final int MAX_REASON = 2000;
    private static final int MAX_REJECTED_ID = 160;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readTransaction;

    public Ledger(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        // PostgreSQL streams a result set only inside a transaction; without one it loads every row first.
        this.readTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.readTransaction.setReadOnly(true);
    }

    /** Creates the tables when missing; safe to call on every start. */
    public void createSchema() {
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
    }

    public Optional<LedgerEntry> find(String outputId, String deviceId) {
        List<LedgerEntry> found = jdbc.query("SELECT * FROM device_identity WHERE output_id = ? AND device_id = ?",
                (rs, n) -> entry(rs), outputId, deviceId);
        return found.stream().findFirst();
    }

    /** The device whose identity has this public key (SHA-256 of its SubjectPublicKeyInfo), in any output. */
    public Optional<String> deviceWithPublicKey(String publicKeySha256) {
        List<String> found = jdbc.query("SELECT device_id FROM device_identity WHERE public_key_sha256 = ?",
                (rs, n) -> rs.getString(1), publicKeySha256);
        return found.stream().findFirst();
    }

    public void recordIssued(List<LedgerEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO device_identity (output_id, device_id, job_instance_id, job_execution_id, row_index,"
                        + " source_line, thing_name, certificate_id, serial_hex, public_key_sha256, not_before, not_after,"
                        + " key_algorithm, key_location, bundle_path, bundle_sums, status, issued_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    ps.setString(14, e.keyLocation().name());
                    ps.setString(15, e.bundlePath());
                    ps.setString(16, e.bundleSums());
                    ps.setString(17, e.status().name());
                    ps.setObject(18, utc(e.issuedAt()));
                });
    }

    public void recordRejected(List<Rejection> rejections) {
        if (rejections.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("INSERT INTO device_reject (output_id, job_instance_id, row_index, source_line, device_id, reason,"
                        + " rejected_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rejections, rejections.size(), (ps, r) -> {
                    ps.setString(1, r.outputId());
                    ps.setLong(2, r.jobInstanceId());
                    ps.setLong(3, r.rowIndex());
                    ps.setLong(4, r.sourceLine());
                    ps.setString(5, truncate(r.deviceId(), MAX_REJECTED_ID));
                    ps.setString(6, truncate(r.reason(), MAX_REASON));
                    ps.setObject(7, utc(r.rejectedAt()));
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

    /** Every identity of the output, in manifest order within each run. Streams: memory stays flat. */
    public void forEachIssued(String outputId, Consumer<LedgerEntry> consumer) {
        stream("SELECT * FROM device_identity WHERE output_id = ? ORDER BY job_instance_id, row_index",
                rs -> consumer.accept(entry(rs)), outputId);
    }

    public void forEachRejected(long jobInstanceId, Consumer<Rejection> consumer) {
        stream("SELECT * FROM device_reject WHERE job_instance_id = ? ORDER BY row_index",
                rs -> consumer.accept(new Rejection(rs.getString("output_id"), rs.getLong("job_instance_id"),
                        rs.getLong("row_index"), rs.getLong("source_line"), rs.getString("device_id"),
                        rs.getString("reason"), instant(rs, "rejected_at"))), jobInstanceId);
    }

    private interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }

    private void stream(String sql, RowHandler handler, Object... args) {
        readTransaction.executeWithoutResult(status -> {
            JdbcTemplate streaming = new JdbcTemplate(jdbc.getDataSource());
            streaming.setFetchSize(1000);
            streaming.query(sql, handler::handle, args);
        });
    }

    private long count(String sql, Object arg) {
        Long n = jdbc.queryForObject(sql, Long.class, arg);
        return n == null ? 0 : n;
    }

    private static LedgerEntry entry(ResultSet rs) throws SQLException {
        return new LedgerEntry(rs.getString("output_id"), rs.getString("device_id"), rs.getLong("job_instance_id"),
                rs.getLong("job_execution_id"), rs.getLong("row_index"), rs.getLong("source_line"),
                rs.getString("thing_name"), rs.getString("certificate_id"), rs.getString("serial_hex"),
                rs.getString("public_key_sha256"), instant(rs, "not_before"), instant(rs, "not_after"),
                rs.getString("key_algorithm"), LedgerEntry.KeyLocation.valueOf(rs.getString("key_location")),
                rs.getString("bundle_path"), rs.getString("bundle_sums"),
                LedgerEntry.IdentityStatus.valueOf(rs.getString("status")), instant(rs, "issued_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
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
