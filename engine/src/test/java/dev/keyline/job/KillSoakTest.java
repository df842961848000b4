package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.aws.EmulatorTargets;
import dev.keyline.aws.emulator.IotEmulator;
import dev.keyline.bundle.KillPoint;
import dev.keyline.cli.Keyline;
import dev.keyline.testing.ChildKeyline;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.testing.IssuePartitions;
import dev.keyline.testing.Manifests;
import dev.keyline.testing.LedgerFile;
import dev.keyline.testing.Tar;

/**
 * kill -9 anywhere: one run (archive layout, registered with the AWS IoT emulator) in a child JVM, killed with
 * SIGKILL ten times in each phase (scan, issue, the archive's rename window, register, export) and restarted in a
 * child JVM after each kill. After every kill the ledger (a copy of the file, so the restart finds it untouched) must
 * hold whole committed chunks and nothing else; after the last, a restart runs to completion and every device is
 * issued, bundled, exported and registered exactly once.
 *
 * <p>Kills are placed by waiting for a state, never for a time: the committed count (issue), the emulator's
 * registrations (register), or a {@link KillPoint} marker for windows too narrow to hit from outside (the end of the
 * scan and of the export, an archive published before its chunk commits). The seed of the order and of the counts
 * is printed and can be replayed with {@code -Dkeyline.soak.seed=N}; {@code -Dkeyline.soak.kills-per-phase=N} sets the
 * count: 2 in the full suite, 10 kills in all, which keeps CI to about two minutes (child JVM start-ups take about
 * 13 s a kill on this loaded 2-core machine); a longer soak passed 50 kills (seed 6536686609656) in 681 s. Should an invariant
 * break, the ledger as the kill left it, the live ledger and every child's log are kept under
 * {@code target/kill-soak-evidence/}.
 */
@Tag("full")
class KillSoakTest {

    private static final int DEVICES = 2000;
    private static final int CHUNK = 40;
    private static final int KILLS_PER_PHASE = Integer.getInteger("keyline.soak.kills-per-phase", 2);
    private static final String TARGET = "fleet";
    private static final long DEADLINE_SECONDS = 300;

    enum Phase { SCAN, ISSUE, ARCHIVE_WINDOW, REGISTER, EXPORT }

    @TempDir
    Path dir;

    private Path out;
    private Path passphrase;
    private final List<Path> logs = new ArrayList<>();
    private Map<String, String> committed = Map.of();
    /** The H2 lock file a killed child left behind, until the next child replaces it. */
    private String staleLock;

    @Test
    void fiftyKillsAcrossEveryPhaseLeaveEveryDeviceIssuedBundledAndRegisteredExactlyOnce() throws Exception {
        long seed = Long.getLong("keyline.soak.seed", System.nanoTime());
        System.out.println("KillSoakTest: seed " + seed + " (replay with -Dkeyline.soak.seed=" + seed + ")");
        Random random = new Random(seed);
        long started = System.nanoTime();

        List<String> jvm = jvmOptions();
        passphrase = Files.writeString(dir.resolve("pass.txt"), "soak test passphrase\n");
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Soak Test CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", passphrase.toString())).isZero();
        Path manifest = Manifests.devices(dir, "soak", DEVICES);
        out = dir.resolve("out");

        try (IotEmulator emulator = EmulatorTargets.emulator().seed(seed).start()) {
            Path targets = Files.writeString(dir.resolve("targets.yaml"), """
                    keyline:
                      targets:
                        %s:
                          region: %s
                          profile: %s
                          endpoint: %s
                          mode: without-ca
                          quotas:
                            RegisterCertificateWithoutCA: 400
                    """.formatted(TARGET, EmulatorTargets.REGION, EmulatorTargets.PROFILE_B, emulator.endpoint()));
            String[] run = {"run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(),
                    "--passphrase-file", passphrase.toString(), "--threads", "2", "--chunk-size", String.valueOf(CHUNK),
                    "--no-progress", "--bundle-layout", "archive", "--target", TARGET, "--config", targets.toString(),
                    "--register-threads", "8"};
            String[] restart = {"restart", "--out", out.toString(), "--passphrase-file", passphrase.toString(),
                    "--no-progress"};

            List<Phase> plan = plan(random);
            Map<Phase, Integer> kills = new EnumMap<>(Phase.class);
            int issueKillsLeft = Collections.frequency(plan, Phase.ISSUE);
            int registerKillsLeft = KILLS_PER_PHASE;
            for (int kill = 0; kill < plan.size(); kill++) {
                Phase phase = plan.get(kill);
                Path marker = dir.resolve("marker-" + kill);
                List<String> options = new ArrayList<>(jvm);
                killPoint(phase).ifPresent(point -> options.add("-D" + KillPoint.PROPERTY + "=" + point + "=" + marker));
                Path log = dir.resolve(String.format("child-%02d-%s.log", kill, phase));
                logs.add(log);
                ChildKeyline child = ChildKeyline.start(log, options, kill == 0 ? run : restart);

                switch (phase) {
                    case SCAN, ARCHIVE_WINDOW, EXPORT -> waitFor(child, () -> Files.exists(marker), phase + " kill point");
                    case ISSUE -> {
                        long target = nextTarget(random, committed.size(), DEVICES - 4 * CHUNK, issueKillsLeft--);
                        waitFor(child, () -> ledgerLockRenewed() && LedgerFile.identitiesWhileServed(out) >= target,
                                target + " devices committed");
                    }
                    case REGISTER -> {
                        long target = nextTarget(random, emulator.successfulRegistrations(),
                                DEVICES - 2 * ProvisionJobConfiguration.REGISTER_CHUNK, registerKillsLeft--);
                        waitFor(child, () -> emulator.successfulRegistrations() >= target, target + " registrations");
                    }
                }
                child.process().destroyForcibly();
                assertThat(child.process().waitFor(30, TimeUnit.SECONDS)).as("killed child ended").isTrue();
                kills.merge(phase, 1, Integer::sum);
                staleLock = lockFileContent();
                checkAfterKill(kill, phase, emulator);
            }

            Path log = dir.resolve("child-final-restart.log");
            logs.add(log);
            ChildKeyline last = ChildKeyline.start(log, jvm, restart);
            int exit = last.awaitExit(DEADLINE_SECONDS);
            if (exit != 0) {
                throw failure("the last restart exited " + exit + ":\n" + last.output(), null);
            }
            checkAtTheEnd(ca, emulator);
            System.out.printf("KillSoakTest: seed %d, kills per phase %s, %d devices, %.1f s%n", seed, kills, DEVICES,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * The emulator's credentials, and a JVM tuned to start fast: fifty-one child JVMs, each started only to be killed
     * seconds later, would spend the soak's time in the JIT and the parallel collector's set-up.
     */
    private List<String> jvmOptions() throws IOException {
        List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        EmulatorTargets.credentials(dir).forEach(property -> options.add("-D" + property));
        return options;
    }

    /**
     * Ten kills of each phase, in the order a run meets them: scan, then issue and the archive window mixed at
     * random (each restart issues again), then register, then export. Within a phase, where the kill falls is random.
     */
    private List<Phase> plan(Random random) {
        List<Phase> issuing = new ArrayList<>();
        for (int i = 0; i < KILLS_PER_PHASE; i++) {
            issuing.add(Phase.ISSUE);
            issuing.add(Phase.ARCHIVE_WINDOW);
        }
        Collections.shuffle(issuing, random);
        List<Phase> plan = new ArrayList<>(Collections.nCopies(KILLS_PER_PHASE, Phase.SCAN));
        plan.addAll(issuing);
        plan.addAll(Collections.nCopies(KILLS_PER_PHASE, Phase.REGISTER));
        plan.addAll(Collections.nCopies(KILLS_PER_PHASE, Phase.EXPORT));
        return plan;
    }

    private static java.util.Optional<String> killPoint(Phase phase) {
        return switch (phase) {
            case SCAN -> java.util.Optional.of(KillPoint.SCAN_DONE);
            case ARCHIVE_WINDOW -> java.util.Optional.of(KillPoint.ARCHIVE_PUBLISHED);
            case EXPORT -> java.util.Optional.of(KillPoint.EXPORT_WRITTEN);
            case ISSUE, REGISTER -> java.util.Optional.empty();
        };
    }

    /**
     * Whether the running child holds the ledger and serves it: H2 writes a new lock file (a new random id) when it
     * takes the file, and adds its server's address once it serves it. Before that, a probe would find the killed
     * child's stale lock, or a lock being taken, and contend for the file itself: the child starting then finds the
     * ledger "locked by another process" (seen here twice before this wait).
     */
    private boolean ledgerLockRenewed() {
        String now = lockFileContent();
        return now != null && !now.equals(staleLock) && now.contains("server=");
    }

    private String lockFileContent() {
        try {
            return Files.readString(out.resolve(".keyline/ledger.lock.db"), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException absent) {
            return null;
        }
    }

    /** A random count past {@code now}, spread so that the kills left all fit before {@code limit}. */
    private static long nextTarget(Random random, long now, long limit, int killsLeft) {
        long span = Math.max(1, (limit - now) / Math.max(1, killsLeft));
        return Math.min(limit, now + 1 + (long) (random.nextDouble() * span));
    }

    private void waitFor(ChildKeyline child, BooleanSupplier state, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!state.getAsBoolean()) {
            if (child.process().waitFor(5, TimeUnit.MILLISECONDS)) {
                throw failure("keyline ended (exit " + child.process().exitValue() + ") before " + what + ":\n"
                        + child.output(), null);
            }
            if (System.nanoTime() > deadline) {
                child.process().destroyForcibly();
                throw failure("no " + what + " within " + DEADLINE_SECONDS + " s:\n" + child.output(), null);
            }
        }
    }

    /**
     * What a kill may leave: whole committed chunks per partition (the ledger's rows of a partition are exactly the
     * rows before its stored reader position), unique certificates, committed devices unchanged, recorded archives
     * on disk (and after a kill in the rename window, the unrecorded archive of the chunk that did not commit), and
     * only registrations the emulator holds.
     */
    private void checkAfterKill(int kill, Phase phase, IotEmulator emulator) throws Exception {
        Path snapshot = dir.resolve("snapshots").resolve("kill-" + kill);
        Files.createDirectories(snapshot);
        Files.copy(out.resolve(".keyline/ledger.mv.db"), snapshot.resolve("ledger.mv.db"));
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + snapshot.resolve("ledger") + ";IFEXISTS=TRUE",
                "sa", "")) {
            Map<String, String> now = new HashMap<>();
            Map<Long, String> byRow = new HashMap<>();
            Map<String, String> bundlePaths = new HashMap<>();
            try (ResultSet rs = c.createStatement().executeQuery(
                    "SELECT device_id, certificate_id, row_index, bundle_path FROM device_identity")) {
                while (rs.next()) {
                    now.put(rs.getString(1), rs.getString(2));
                    byRow.put(rs.getLong(3), rs.getString(1));
                    bundlePaths.put(rs.getString(1), rs.getString(4));
                }
            }
            String where = "after kill " + kill + " (" + phase + ")";
            check(Set.copyOf(now.values()).size() == now.size(), where + ": certificate ids repeat", snapshot);
            for (Map.Entry<String, String> before : committed.entrySet()) {
                check(before.getValue().equals(now.get(before.getKey())), where + ": " + before.getKey()
                        + " committed before with " + before.getValue() + ", now " + now.get(before.getKey()), snapshot);
            }
            long inPartitions = 0;
            for (IssuePartitions.Partition p : IssuePartitions.read(c).values()) {
                Set<Long> rows = byRow.keySet().stream().filter(r -> r >= p.first() && r < p.end())
                        .collect(Collectors.toCollection(TreeSet::new));
                Set<Long> expected = new TreeSet<>();
                for (long r = p.first(); r < p.position(); r++) {
                    expected.add(r);
                }
                inPartitions += rows.size();
                boolean wholeChunks = (p.position() - p.first()) % CHUNK == 0 || p.position() == p.end();
                check(rows.equals(expected) && wholeChunks, where + ": " + p + " is not made of whole committed chunks: the ledger"
                        + " holds " + rows.size() + " of its rows (" + describe(rows, expected) + ")", snapshot);
            }
            check(inPartitions == now.size(), where + ": " + (now.size() - inPartitions)
                    + " ledger rows lie in no partition's committed range", snapshot);

            Set<String> recorded = new HashSet<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT path FROM bundle_archive")) {
                while (rs.next()) {
                    recorded.add(rs.getString(1));
                }
            }
            Set<String> onDisk = archivesOnDisk();
            check(onDisk.containsAll(recorded), where + ": recorded archives missing on disk: " + minus(recorded, onDisk),
                    snapshot);
            check(recorded.containsAll(bundlePaths.values()), where + ": devices in unrecorded archives", snapshot);
            Set<String> unrecorded = minus(onDisk, recorded);
            for (String archive : unrecorded) {
                String firstDevice = archive.substring("bundles/".length(), archive.length() - ".tar".length());
                check(!now.containsKey(firstDevice), where + ": unrecorded " + archive + " holds committed "
                        + firstDevice, snapshot);
            }
            if (phase == Phase.ARCHIVE_WINDOW) {
                check(!unrecorded.isEmpty(), where + ": the kill point was reached, yet no published archive is"
                        + " left unrecorded", snapshot);
            }

            try (ResultSet rs = c.createStatement().executeQuery("SELECT r.device_id, i.certificate_id"
                    + " FROM device_registration r JOIN device_identity i ON i.output_id = r.output_id"
                    + " AND i.device_id = r.device_id WHERE r.status = 'REGISTERED'")) {
                while (rs.next()) {
                    check(emulator.certificateStatus(EmulatorTargets.ACCOUNT_B, rs.getString(2)).isPresent(), where
                            + ": " + rs.getString(1) + " recorded REGISTERED, unknown to the emulator", snapshot);
                }
            }
            committed = now;
        }
    }

    private void checkAtTheEnd(Path ca, IotEmulator emulator) throws Exception {
        Map<String, String> ledger = LedgerFile.certificateIds(out);
        assertThat(ledger).hasSize(DEVICES);
        assertThat(Set.copyOf(ledger.values())).as("certificate ids are unique").hasSize(DEVICES);
        committed.forEach((device, certificateId) -> assertThat(ledger.get(device))
                .as("%s keeps the certificate it had at the last kill", device).isEqualTo(certificateId));

        Set<String> recorded = new HashSet<>();
        try (Connection c = LedgerFile.open(out);
             ResultSet rs = c.createStatement().executeQuery("SELECT path FROM bundle_archive")) {
            while (rs.next()) {
                recorded.add(rs.getString(1));
            }
        }
        assertThat(archivesOnDisk()).as("archives on disk are the recorded ones").isEqualTo(recorded);
        Path extracted = dir.resolve("extracted");
        Map<String, String> deviceArchive = new HashMap<>();
        for (String archive : recorded) {
            Path file = out.resolve(archive);
            for (String entry : Tar.list(file)) {
                if (entry.endsWith("/") && entry.indexOf('/') == entry.length() - 1) {
                    String device = entry.substring(0, entry.length() - 1);
                    assertThat(deviceArchive.put(device, archive)).as("%s is in one archive only", device).isNull();
                }
            }
            Tar.extract(file, extracted);
        }
        assertThat(deviceArchive.keySet()).as("each device in an archive").isEqualTo(ledger.keySet());

        List<CSVRecord> rows = ProvisionRunTest.readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(DEVICES);
        X509Certificate root = IndependentVerifier.readCertificate(ca.resolve("ca.crt.pem"));
        for (CSVRecord row : rows) {
            Path pem = extracted.resolve(row.get("bundle_entry")).resolve("device.crt.pem");
            X509Certificate certificate = IndependentVerifier.readCertificate(pem);
            assertThat(ProvisionRunTest.sha256(certificate.getEncoded())).as("bundle of %s = ledger", row.get("device_id"))
                    .isEqualTo(ledger.get(row.get("device_id")));
            IndependentVerifier.validateWithJdk(certificate, List.of(), root);
        }
        ProvisionRunTest.assertSha256SumsMatch(out);
        IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, rows.stream().limit(100)
                .map(r -> extracted.resolve(r.get("bundle_entry")).resolve("device.crt.pem")).toList());

        assertThat(LedgerFile.count(out, "SELECT COUNT(*) FROM device_registration WHERE status = 'REGISTERED'"))
                .as("every device registered").isEqualTo(DEVICES);
        assertThat(emulator.certificateCount(EmulatorTargets.ACCOUNT_B)).as("emulator holds each certificate")
                .isEqualTo(DEVICES);
        assertThat(emulator.successfulRegistrations()).as("each certificate registered once").isEqualTo(DEVICES);
        for (String certificateId : ledger.values()) {
            assertThat(emulator.certificateStatus(EmulatorTargets.ACCOUNT_B, certificateId)).isPresent();
        }
    }

    private Set<String> archivesOnDisk() throws IOException {
        if (!Files.isDirectory(out.resolve("bundles"))) {
            return Set.of(); // made when the issue step opens its writers
        }
        try (Stream<Path> files = Files.list(out.resolve("bundles"))) {
            return files.filter(Files::isRegularFile).map(p -> "bundles/" + p.getFileName()).collect(Collectors.toSet());
        }
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> result = new TreeSet<>(a);
        result.removeAll(b);
        return result;
    }

    private static String describe(Set<Long> rows, Set<Long> expected) {
        Set<Long> extra = new TreeSet<>(rows);
        extra.removeAll(expected);
        Set<Long> missing = new TreeSet<>(expected);
        missing.removeAll(rows);
        return "rows past the position: " + extra + "; rows before it missing: " + missing;
    }

    private void check(boolean holds, String what, Path snapshot) throws IOException {
        if (!holds) {
            throw failure(what, snapshot);
        }
    }

    /** Keeps the ledger (as the kill left it), the live ledger and every log under target/, and says where. */
    private AssertionError failure(String what, Path snapshot) throws IOException {
        Path kept = Path.of("target", "kill-soak-evidence", String.valueOf(System.currentTimeMillis())).toAbsolutePath();
        Files.createDirectories(kept);
        if (snapshot != null) {
            Files.copy(snapshot.resolve("ledger.mv.db"), kept.resolve("ledger-as-killed.mv.db"));
        }
        Path live = out == null ? null : out.resolve(".keyline/ledger.mv.db");
        if (live != null && Files.exists(live)) {
            Files.copy(live, kept.resolve("ledger-now.mv.db"));
        }
        Path keylineLog = out == null ? null : out.resolve(".keyline/keyline.log");
        if (keylineLog != null && Files.exists(keylineLog)) {
            Files.copy(keylineLog, kept.resolve("keyline.log"));
        }
        for (Path log : logs) {
            if (Files.exists(log)) {
                Files.copy(log, kept.resolve(log.getFileName()));
            }
        }
        return new AssertionError(what + "\nevidence kept in " + kept);
    }
}
