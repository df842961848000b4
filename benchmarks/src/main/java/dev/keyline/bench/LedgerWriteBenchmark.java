package dev.keyline.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import dev.keyline.ca.CertificateAuthority;
import dev.keyline.job.Database;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.ledger.ArchiveRecord;
import dev.keyline.ledger.ChunkCommit;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.LedgerEntry;
import dev.keyline.ledger.ManifestChunk;
import dev.keyline.ledger.RegistrationInput;
import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.IssuanceRequest;
import dev.keyline.x509.IssuedCertificate;
import dev.keyline.x509.Issuer;
import dev.keyline.x509.SubjectName;

/**
 * A chunk's ledger writes as the issuing worker makes them, in one transaction per chunk of 500 devices: the
 * identities (one JDBC batch), the chunk's archive and manifest rows file, and its {@code chunk_commit} row, into a
 * fresh H2 file ledger opened with the URL a run uses ({@link Database#embedded}), or a fresh PostgreSQL schema. Entries are realistic: an EC P-256
 * certificate's DER, random hex digests, the archive layout's paths. The score is devices (rows) per second.
 *
 * <p>{@code bundleSums} selects what each archived device's row carries: {@code per-file} (three {@code sha256sum}
 * lines, as before issue 18) or {@code none} (as now: nothing reads them). So one run measures the old and the new
 * row side by side.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LedgerWriteBenchmark {

    private static final int CHUNK = 500;

    @Param({"per-file", "none"})
    public String bundleSums;

    /**
     * {@code h2}: a fresh H2 file ledger with a run's URL. {@code postgresql}: a fresh schema on the local PostgreSQL
     * (127.0.0.1:5432, database test, trust auth), with the URL's driver settings {@code pgSettings}.
     */
    @Param({"h2"})
    public String database;

    /**
     * How the identities go in: {@code batch} (the ledger's JDBC batch, as a run writes them) or, on PostgreSQL only,
     * {@code copy}: one {@code COPY ... FROM STDIN} of the chunk in the chunk's transaction, to see whether it pays.
     */
    @Param({"batch"})
    public String identities;

    /**
     * {@code kept}: the ledger's index on (job_instance_id, row_index), which restarts use to find the rows past a
     * partition's committed position; {@code dropped}: without it, to see what the index costs per chunk.
     */
    @Param({"kept"})
    public String instanceIndex;

    /** PgJDBC URL parameters, e.g. {@code reWriteBatchedInserts=true}; {@code none} for none. */
    @Param({"none"})
    public String pgSettings;

    private static final String POSTGRESQL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private String schema;

    private Path out;
    private HikariDataSource dataSource;
    private Ledger ledger;
    private TransactionTemplate chunkTransaction;
    private byte[] certificateDer;
    private final String outputId = UUID.randomUUID().toString();
    private final SplittableRandom random = new SplittableRandom(18);
    private final HexFormat hex = HexFormat.of();
    private long next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        // As Keyline's main sets it, before H2 loads (dev.keyline.cli.Keyline.main): a run writes without H2's value cache.
        System.setProperty("h2.objectCache", "false");
        out = BenchOutput.create("ledger");
        HikariConfig config = new HikariConfig();
        if ("postgresql".equals(database)) {
            schema = "bench_ledger_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(POSTGRESQL); Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + schema);
            }
            config.setJdbcUrl(POSTGRESQL + "&currentSchema=" + schema + ("none".equals(pgSettings) ? "" : "&" + pgSettings));
        } else {
            Database embedded = Database.embedded(out);
            config.setJdbcUrl(embedded.url());
            config.setUsername(embedded.user().orElse(null));
        }
        config.setMaximumPoolSize(3);
        dataSource = new HikariDataSource(config);
        ledger = Ledger.open(dataSource);
        if ("dropped".equals(instanceIndex)) {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP INDEX device_identity_instance");
            }
        }
        chunkTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        CertificateAuthority ca = BenchPki.rootCa(KeyAlgorithm.EC_P256, CryptoProvider.BC);
        KeyPair device = new SoftwareKeySource().generate(KeyAlgorithm.EC_P256);
        IssuedCertificate certificate = new Issuer(ca, CertificateProfile.defaults())
                .issue(new IssuanceRequest(SubjectName.parse("/C=US/O=Acme/CN=device-0000001"), device.getPublic()));
        certificateDer = certificate.der();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        dataSource.close();
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(POSTGRESQL); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
        BenchOutput.delete(out);
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private long iterationCpu;
    private long iterationRows;

    /**
     * The CPU time per row of the chunks' transactions (not of making their entries), printed per iteration: on this
     * shared machine the score (wall clock) swings with other people's load, CPU time far less. H2 does its work in
     * the committing thread; PostgreSQL's is in the server, which this does not see.
     */
    @Setup(Level.Iteration)
    public void startIteration() {
        iterationCpu = 0;
        iterationRows = 0;
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        System.out.printf("%ncpu-per-row: %.2f us%n", iterationCpu / 1000.0 / Math.max(1, iterationRows));
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public void writeChunk() {
        List<LedgerEntry> entries = chunk();
        String archive = entries.get(0).bundlePath();
        long cpu = THREADS.getCurrentThreadCpuTime();
        chunkTransaction.executeWithoutResult(status -> {
            ledger.archives().recordArchives(outputId, 1, List.of(new ArchiveRecord(archive, digest(), 1_200_000L)),
                    Instant.now());
            ledger.manifestChunks().recordManifestChunk(outputId, 1, new ManifestChunk(
                    ".keyline/manifest-rows/" + entries.get(0).deviceId() + ".rows", entries.get(0).deviceId(),
                    entries.get(CHUNK - 1).deviceId(), CHUNK, 90_000L, 1, entries.get(0).rowIndex()));
            if ("copy".equals(identities)) {
                copy(entries);
            } else {
                ledger.identities().recordIssued(entries);
            }
            ledger.runRecords().recordChunk(new ChunkCommit(1, "issue-worker:partition0", Instant.now(), CHUNK, 0, 0, 0,
                    "ec-p256=" + CHUNK));
        });
        iterationCpu += THREADS.getCurrentThreadCpuTime() - cpu;
        iterationRows += CHUNK;
    }

    private static final String COPY = "COPY device_identity (output_id, device_id, job_instance_id, job_execution_id,"
            + " row_index, source_line, thing_name, certificate_id, serial_hex, public_key_sha256, not_before, not_after,"
            + " key_algorithm, key_location, bundle_path, bundle_sums, status, issued_at, certificate, thing_type,"
            + " thing_groups, attributes, accounts) FROM STDIN";

    /** The chunk's identities in COPY's text format, through the connection of the chunk's transaction. */
    private void copy(List<LedgerEntry> entries) {
        StringBuilder b = new StringBuilder(entries.size() * 1400);
        for (LedgerEntry e : entries) {
            text(b, e.outputId()).append('\t');
            text(b, e.deviceId()).append('\t');
            b.append(e.jobInstanceId()).append('\t').append(e.jobExecutionId()).append('\t').append(e.rowIndex())
                    .append('\t').append(e.sourceLine()).append('\t');
            text(b, e.thingName()).append('\t');
            text(b, e.certificateId()).append('\t');
            text(b, e.serialHex()).append('\t');
            text(b, e.publicKeySha256()).append('\t');
            b.append(e.notBefore()).append('\t').append(e.notAfter()).append('\t');
            text(b, e.keyAlgorithm()).append('\t');
            text(b, e.keyLocation()).append('\t');
            text(b, e.bundlePath()).append('\t');
            text(b, e.bundleSums()).append('\t');
            b.append(e.status().name()).append('\t').append(e.issuedAt()).append('\t');
            b.append("\\\\x").append(hex.formatHex(e.registration().orElseThrow().certificateDer()));
            b.append("\t\\N\t\\N\t{}\t\\N\n");
        }
        java.sql.Connection c = org.springframework.jdbc.datasource.DataSourceUtils.getConnection(dataSource);
        try {
            c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn(COPY,
                    new java.io.ByteArrayInputStream(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        } finally {
            org.springframework.jdbc.datasource.DataSourceUtils.releaseConnection(c, dataSource);
        }
    }

    private static StringBuilder text(StringBuilder b, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(ch);
            }
        }
        return b;
    }

    private List<LedgerEntry> chunk() {
        List<LedgerEntry> entries = new ArrayList<>(CHUNK);
        String first = deviceId(next);
        Instant now = Instant.now();
        for (int i = 0; i < CHUNK; i++, next++) {
            String id = deviceId(next);
            String bundlePath = "bundles/" + first + ".tar";
            String sums = "none".equals(bundleSums) ? "" : digest() + "  bundles/" + id + "/device.crt.pem\n"
                    + digest() + "  bundles/" + id + "/device.key.pem\n" + digest() + "  bundles/" + id + "/ca-chain.pem\n";
            entries.add(new LedgerEntry(outputId, id, 1, 1, next, next + 2, id, digest(),
                    hex.formatHex(bytes(20)), digest(), now, now.plus(Duration.ofDays(365)),
                    KeyAlgorithm.EC_P256.id(), "BUNDLE", bundlePath, sums, LedgerEntry.IdentityStatus.ISSUED, now,
                    Optional.of(new RegistrationInput(certificateDer, Optional.empty(), List.of(), Map.of(), List.of()))));
        }
        return entries;
    }

    private static String deviceId(long n) {
        return String.format("device-%07d", n + 1);
    }

    private String digest() {
        return hex.formatHex(bytes(32));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

}
