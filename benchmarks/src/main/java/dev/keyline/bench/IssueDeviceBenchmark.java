package dev.keyline.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.keyline.bundle.BundleOptions;
import dev.keyline.bundle.DirectoryBundleWriter;
import dev.keyline.device.ManifestRecord;
import dev.keyline.device.ManifestScan;
import dev.keyline.job.DeviceProvisioner;
import dev.keyline.job.IssuanceKit;
import dev.keyline.job.IssueOutcome;
import dev.keyline.job.RunIdentity;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.ledger.Ledger;
import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.Issuer;

/**
 * "Issue one device" end to end through the engine's own DeviceProvisioner — the class the Spring Batch job
 * calls: validate the row, make the key, sign the certificate, write the bundle (dir layout), durable every 500
 * devices. The ledger insert and commit are not in it (the job batches them per chunk).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IssueDeviceBenchmark {

    @Param({"accp", "bc"})
    public String provider;

    @Param({"ec-p256"})
    public String key;

    IssuanceKit kit;
    Issuer issuer;
    Ledger ledger;
    Path out;
    final AtomicLong rows = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() {
        CryptoProvider p = CryptoProvider.fromId(provider);
        out = BenchOutput.create("issue");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:bench-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        ledger = Ledger.open(h2);
        kit = new IssuanceKit(BenchPki.rootCa(KeyAlgorithm.EC_P256, p), CertificateProfile.defaults(),
                new SoftwareKeySource(p), new BundleOptions(out, Optional.empty(), false),
                Optional.of(KeyAlgorithm.fromId(key)));
        issuer = new Issuer(kit.ca(), kit.profile());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchOutput.delete(out);
    }

    /** One provisioner (and bundle writer) per benchmark thread, as one per partition in the job. */
    @State(Scope.Thread)
    public static class Worker {
        DeviceProvisioner provisioner;
        DirectoryBundleWriter bundles;
        final java.util.List<dev.keyline.ledger.LedgerEntry> chunk = new java.util.ArrayList<>();
        long done;

        @Setup(Level.Trial)
        public void setUp(IssueDeviceBenchmark shared) throws Exception {
            bundles = new DirectoryBundleWriter(shared.kit.bundleOptions());
            provisioner = new DeviceProvisioner(new RunIdentity("bench", 1, 1), shared.kit, shared.issuer,
                    new ManifestScan(0, "", Map.of()), shared.ledger, bundles, Clock.systemUTC());
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            bundles.close();
        }
    }

    @Benchmark
    public IssueOutcome issueOneDevice(Worker worker) {
        long row = rows.getAndIncrement();
        IssueOutcome outcome = worker.provisioner.provision(new ManifestRecord(row, row + 2,
                Map.of("device_id", "device-" + row, "organization", "Acme", "country", "US"), null)).orElseThrow();
        if (outcome instanceof IssueOutcome.Issued issued) {
            worker.chunk.add(issued.entry());
        }
        if (++worker.done % 500 == 0) {
            worker.provisioner.makeDurable(worker.chunk);
            worker.chunk.clear();
        }
        return outcome;
    }
}
