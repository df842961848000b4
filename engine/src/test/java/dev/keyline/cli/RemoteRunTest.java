package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.ChildKeyline;
import dev.keyline.testing.CommandOutput;
import dev.keyline.testing.Csrs;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.testing.IssuedBundles;
import dev.keyline.testing.Manifests;
import dev.keyline.testing.RemoteFleet;

/**
 * Remote runs with real parts: PostgreSQL and RabbitMQ as this machine runs them, the manager and the workers as
 * separate JVMs. Each test has a schema and a queue of its own, and leaves neither, nor a process, behind. Every wait
 * is for a state (a row count, a line printed), bounded; none is for a time.
 */
@Tag("full")
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class RemoteRunTest {

    @TempDir
    Path dir;

    private static final String UNCLAIMED = "SELECT COUNT(*) FROM batch_step_execution s WHERE s.status = 'STARTING'"
            + " AND NOT EXISTS (SELECT 1 FROM keyline_partition_claim c WHERE c.step_execution_id = s.step_execution_id)";

    /** Claimed by worker NAME, not ended, with at least N rows committed: that worker is mid-partition. */
    private static String midPartition(String worker, int committed) {
        return "SELECT COUNT(*) FROM keyline_partition_claim c JOIN keyline_worker w ON w.worker_id = c.worker_id"
                + " JOIN batch_step_execution s ON s.step_execution_id = c.step_execution_id"
                + " WHERE w.name = '" + worker + "' AND c.ended_at IS NULL AND s.write_count >= " + committed;
    }

    @Test
    void aWorkerKilledMidPartitionIsDetectedAndTheRunCompletesExactlyOnceOnTheOther() throws Exception {
        int devices = 20_000;
        try (RemoteFleet fleet = RemoteFleet.create(dir)) {
            Path manifest = Manifests.devices(dir, devices);
            Path out = dir.resolve("out");
            ChildKeyline a = fleet.worker("worker-a", 1);
            ChildKeyline b = fleet.worker("worker-b", 1);
            ChildKeyline manager = fleet.manager("manager", manifest, out, "--chunk-size", "100",
                    "--worker-timeout", "8s", "--auto-restart", "2");

            RemoteFleet.await(Duration.ofMinutes(3), "worker-a has committed 3 chunks of a partition it holds",
                    () -> fleet.count(midPartition("worker-a", 300)) > 0);
            a.kill();

            assertThat(manager.awaitExit(360)).as(manager.output()).isZero();
            assertThat(manager.output()).contains("restarting the run (auto-restart 1 of 2)")
                    .contains("worker-a (").contains("stopped answering");
            assertExactlyOnce(fleet, out, devices);
            assertThat(b.alive()).as("the other worker goes on").isTrue();

            CommandOutput status = CommandOutput.run("status", "--out", out.toString());
            assertThat(status.exitCode()).isZero();
            assertThat(status.out()).contains("Workers seen").contains("worker-a (").contains("worker-b (");
        }
    }

    @Test
    void aKilledManagerLeavesWorkersIdleAndRestartCompletesTheRun() throws Exception {
        int devices = 8_000;
        try (RemoteFleet fleet = RemoteFleet.create(dir)) {
            Path manifest = Manifests.devices(dir, devices);
            Path out = dir.resolve("out");
            ChildKeyline a = fleet.worker("worker-a", 1);
            ChildKeyline b = fleet.worker("worker-b", 1);
            ChildKeyline manager = fleet.manager("manager", manifest, out, "--chunk-size", "100",
                    "--worker-timeout", "6s");
            RemoteFleet.await(Duration.ofMinutes(3), "worker-a has committed a chunk of a partition it holds",
                    () -> fleet.count(midPartition("worker-a", 100)) > 0);
            // Pause the workers, so that however fast they are, work is left when they learn the manager is gone.
            a.pause();
            b.pause();
            manager.kill();
            manager.process().waitFor();
            // The state the workers will see: the manager silent for longer than the timeout plus a heartbeat period
            // (their clocks run on while they are paused).
            RemoteFleet.await(Duration.ofMinutes(1), "the manager silent for 9 s", () -> fleet.count(
                    "SELECT COUNT(*) FROM keyline_manager WHERE last_seen < CURRENT_TIMESTAMP - INTERVAL '9 seconds'") == 1);
            long unclaimedBefore = fleet.count(UNCLAIMED);
            assertThat(unclaimedBefore).as("partitions were left in the queue").isPositive();
            long claimsBefore = fleet.count("SELECT COUNT(*) FROM keyline_partition_claim");
            a.resume();
            b.resume();

            // They stop what they hold at a chunk boundary, drop the run's other requests unrun, and go idle.
            RemoteFleet.await(Duration.ofMinutes(2), "no partition held by a worker", () -> fleet.count(
                    "SELECT COUNT(*) FROM keyline_partition_claim WHERE ended_at IS NULL") == 0);
            RemoteFleet.await(Duration.ofMinutes(2), "the queue emptied", () -> fleet.queueDepth() == 0);
            assertThat(a.output() + b.output()).contains("stopped answering").contains("dropped the request");
            assertThat(fleet.count("SELECT COUNT(*) FROM keyline_partition_claim"))
                    .as("no request taken after the manager was gone").isEqualTo(claimsBefore);
            assertThat(fleet.count(UNCLAIMED)).isEqualTo(unclaimedBefore);
            assertThat(fleet.count("SELECT COUNT(*) FROM device_identity")).isLessThan(devices);

            ChildKeyline restart = fleet.restart("restart", out);
            assertThat(restart.awaitExit(300)).as(restart.output()).isZero();
            assertExactlyOnce(fleet, out, devices);
        }
    }

    @Test
    void aRunNoWorkerAnswersFailsWithTheReasonNotAHang() throws Exception {
        try (RemoteFleet fleet = RemoteFleet.create(dir)) {
            Path out = dir.resolve("out");
            ChildKeyline manager = fleet.manager("manager", Manifests.devices(dir, 500), out, "--worker-timeout", "6s");
            assertThat(manager.awaitExit(120)).isEqualTo(1);
            assertThat(manager.output()).contains("no worker took it").contains("queue " + fleet.queue())
                    .contains("keyline worker --queue " + fleet.queue())
                    .contains("resume with: keyline restart --out " + out)
                    .doesNotContain("auto-restart").doesNotContain("\tat ");
            assertThat(fleet.count("SELECT COUNT(*) FROM device_identity")).isZero();
        }
    }

    @Test
    void twoRowsWithOneCsrKeyInPartitionsOnTwoWorkersGetOneCertificate() throws Exception {
        try (RemoteFleet fleet = RemoteFleet.create(dir)) {
            String csr = Csrs.csr(dir, "shared", "ec", "/CN=shared-key");
            Path manifest = dir.resolve("csr.csv");
            try (CSVPrinter csv = new CSVPrinter(Files.newBufferedWriter(manifest),
                    CSVFormat.RFC4180.builder().setHeader("device_id", "organization", "country", "csr").get())) {
                for (int i = 0; i < 400; i++) {
                    // The first row of each of the two partitions carries the same CSR.
                    boolean shared = i == 0 || i == 200;
                    csv.printRecord(shared ? "csr-" + i : "dev-" + i, "Acme", "US", shared ? csr : "");
                }
            }
            Path out = dir.resolve("out");
            fleet.worker("worker-a", 1);
            fleet.worker("worker-b", 1);
            ChildKeyline manager = fleet.manager("manager", manifest, out, "--partitions", "2", "--chunk-size", "50");
            assertThat(manager.awaitExit(300)).as(manager.output()).isZero();

            Map<String, String> issued = fleet.certificateIds(out);
            assertThat(issued).hasSize(399);
            assertThat(issued.keySet().stream().filter(d -> d.startsWith("csr-"))).hasSize(1);
            List<CSVRecord> rejects = csv(out.resolve("rejects.csv"));
            assertThat(rejects).hasSize(1);
            assertThat(rejects.get(0).get("device_id")).startsWith("csr-");
            assertThat(rejects.get(0).get("reason")).contains("already has a certificate in the ledger");
            IssuedBundles.verify(out, fleet.ca(), issued);
        }
    }

    @Test
    void twoRemoteRunsAtOnceOnOneDatabaseAndOneQueueDoNotMix() throws Exception {
        try (RemoteFleet fleet = RemoteFleet.create(dir)) {
            Path first = Manifests.devices(dir, "line1", 3_000);
            Path second = Manifests.devices(dir, "line2", 2_000);
            fleet.worker("worker-a", 1);
            fleet.worker("worker-b", 1);
            Path out1 = dir.resolve("out1");
            Path out2 = dir.resolve("out2");
            ChildKeyline m1 = fleet.manager("manager-1", first, out1, "--chunk-size", "100");
            ChildKeyline m2 = fleet.manager("manager-2", second, out2, "--chunk-size", "100");
            assertThat(m1.awaitExit(300)).as(m1.output()).isZero();
            assertThat(m2.awaitExit(300)).as(m2.output()).isZero();

            Map<String, String> one = assertExactlyOnce(fleet, out1, 3_000);
            Map<String, String> two = assertExactlyOnce(fleet, out2, 2_000);
            assertThat(one.keySet()).allMatch(d -> d.startsWith("line1-"));
            assertThat(two.keySet()).allMatch(d -> d.startsWith("line2-"));
            assertThat(Set.copyOf(one.values())).doesNotContainAnyElementsOf(two.values());
        }
    }

    @Test
    void aWorkerStoppedBySigtermEndsItsChunkExitsZeroAndItsRangeGoesToAnother() throws Exception {
        int devices = 6_000;
        try (RemoteFleet fleet = RemoteFleet.create(dir)) {
            Path out = dir.resolve("out");
            ChildKeyline a = fleet.worker("worker-a", 1);
            ChildKeyline manager = fleet.manager("manager", Manifests.devices(dir, devices), out, "--chunk-size", "100",
                    "--partitions", "2");
            // Mid-partition with most of its 3,000 rows left; paused, so that however fast it is, the SIGTERM meets it
            // there (the signal waits until it runs again).
            RemoteFleet.await(Duration.ofMinutes(3), "worker-a has committed 2 to 15 chunks of a partition it holds",
                    () -> fleet.count(midPartition("worker-a", 200) + " AND s.write_count <= 1500") > 0);
            a.pause();
            fleet.worker("worker-b", 1);
            a.terminate();
            a.resume();
            assertThat(a.awaitExit(120)).as(a.output()).isZero();
            assertThat(a.output()).contains("stopped");

            assertThat(manager.awaitExit(300)).as(manager.output()).isZero();
            assertThat(manager.output()).contains("auto-restart 1 of 2").contains("was stopped (SIGTERM)");
            assertExactlyOnce(fleet, out, devices);
        }
    }

    @Test
    void remoteWorkersNeedASharedDatabase() throws Exception {
        Path pass = Files.writeString(dir.resolve("pass"), "h2-remote\n");
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=H2 CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", pass.toString())).isZero();
        CommandOutput run = CommandOutput.run("run", Manifests.devices(dir, 10).toString(), "--ca", ca.toString(),
                "--out", dir.resolve("out").toString(), "--passphrase-file", pass.toString(), "--workers", "remote",
                "--broker", RemoteFleet.BROKER);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--workers remote needs a shared database").contains("--db jdbc:postgresql://");
        assertThat(dir.resolve("out/bundles")).doesNotExist();
    }

    /**
     * Every device once in the ledger with a unique certificate, the bundle on disk that certificate (JDK
     * CertPathValidator for all, openssl for all), no bundle beyond the ledger's, nothing left in staging, and the
     * output manifest with every device.
     */
    private static Map<String, String> assertExactlyOnce(RemoteFleet fleet, Path out, int devices) throws Exception {
        Map<String, String> ids = fleet.certificateIds(out);
        assertThat(ids).hasSize(devices);
        assertThat(Set.copyOf(ids.values())).as("certificate ids are unique").hasSize(devices);
        IssuedBundles.verify(out, fleet.ca(), ids);
        List<Path> pems = ids.keySet().stream().map(d -> out.resolve("bundles").resolve(d).resolve("device.crt.pem"))
                .toList();
        for (int i = 0; i < pems.size(); i += 1_000) {
            IndependentVerifier.verifyWithOpenSsl(fleet.ca().resolve("ca.crt.pem"), null,
                    pems.subList(i, Math.min(pems.size(), i + 1_000)));
        }
        try (Stream<Path> bundles = Files.list(out.resolve("bundles"))) {
            List<String> names = new ArrayList<>(bundles.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals(".staging")).toList());
            assertThat(names).as("bundles on disk are the ledger's").hasSize(devices);
            assertThat(Set.copyOf(names)).isEqualTo(ids.keySet());
        }
        Path staging = out.resolve("bundles/.staging");
        if (Files.isDirectory(staging)) {
            try (Stream<Path> left = Files.walk(staging)) {
                assertThat(left.filter(Files::isRegularFile)).as("nothing left in staging").isEmpty();
            }
        }
        assertThat(csv(out.resolve("manifest.csv"))).hasSize(devices);
        return ids;
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in).getRecords();
        }
    }
}
