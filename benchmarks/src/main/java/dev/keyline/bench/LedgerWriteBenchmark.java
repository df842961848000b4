package dev.keyline.bench;

import java.nio.file.Path;
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
 * fresh H2 file ledger opened with the URL a run uses ({@link Database#embedded}). Entries are realistic: an EC P-256
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
        Database database = Database.embedded(out);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        config.setUsername(database.user().orElse(null));
        config.setMaximumPoolSize(3);
        dataSource = new HikariDataSource(config);
        ledger = Ledger.open(dataSource);
        chunkTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        CertificateAuthority ca = BenchPki.rootCa(KeyAlgorithm.EC_P256, CryptoProvider.BC);
        KeyPair device = new SoftwareKeySource().generate(KeyAlgorithm.EC_P256);
        IssuedCertificate certificate = new Issuer(ca, CertificateProfile.defaults())
                .issue(new IssuanceRequest(SubjectName.parse("/C=US/O=Acme/CN=device-0000001"), device.getPublic()));
        certificateDer = certificate.der();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dataSource.close();
        BenchOutput.delete(out);
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public void writeChunk() {
        List<LedgerEntry> entries = chunk();
        String archive = entries.get(0).bundlePath();
        chunkTransaction.executeWithoutResult(status -> {
            ledger.archives().recordArchives(outputId, 1, List.of(new ArchiveRecord(archive, digest(), 1_200_000L)),
                    Instant.now());
            ledger.manifestChunks().recordManifestChunk(outputId, 1, new ManifestChunk(
                    ".keyline/manifest-rows/" + entries.get(0).deviceId() + ".rows", entries.get(0).deviceId(),
                    entries.get(CHUNK - 1).deviceId(), CHUNK, 90_000L, 1, entries.get(0).rowIndex()));
            ledger.identities().recordIssued(entries);
            ledger.runRecords().recordChunk(new ChunkCommit(1, "issue-worker:partition0", Instant.now(), CHUNK, 0, 0, 0,
                    "ec-p256=" + CHUNK));
        });
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
