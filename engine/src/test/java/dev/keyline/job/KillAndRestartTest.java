package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.keyline.bundle.BundleLayout;
import dev.keyline.cli.Keyline;
import dev.keyline.testing.CommandOutput;
import dev.keyline.testing.ExportEquivalence;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.testing.LedgerFile;
import dev.keyline.testing.Tar;

/**
 * Exactly once across a crash: a run in a child JVM is killed with SIGKILL mid-run, then restarted; every device
 * ends issued exactly once, devices committed before the kill keep their certificate, and the bundles on disk
 * match the ledger.
 */
class KillAndRestartTest {

    private static final int DEVICES = 3000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} layout")
    @EnumSource(BundleLayout.class)
    void restartAfterSigkillCompletesTheRunWithEveryDeviceIssuedExactlyOnce(BundleLayout layout) throws Exception {
        Path passphrase = dir.resolve("pass.txt");
        Files.writeString(passphrase, "kill-test-passphrase\n");
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Kill Test CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", passphrase.toString())).isZero();
        Path manifest = ProvisionRunTest.manifest(dir, DEVICES);
        Path out = dir.resolve("out");

        Process child = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                Keyline.class.getName(), "run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(),
                "--passphrase-file", passphrase.toString(), "--threads", "2", "--chunk-size", "40", "--no-progress",
                "--bundle-layout", layout.id())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        // Several chunks of each partition, and far from the end (3,000), whatever the machine's speed.
        waitForCommitted(out, 6 * 40, child);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed, not finished").isNotZero();

        CommandOutput statusRun = CommandOutput.run("status", "--out", out.toString());
        assertThat(statusRun.exitCode()).isZero();
        String status = statusRun.out();
        assertThat(status).contains("DIED").contains("keyline restart --out " + out.toAbsolutePath().normalize());

        Map<String, String> committedBeforeKill = ledger(out);
        assertThat(committedBeforeKill.size()).isBetween(1, DEVICES - 1);

        if (layout == BundleLayout.ARCHIVE) {
            // What a process that died between publishing a chunk's archive and committing the chunk leaves behind.
            String uncommitted = java.util.stream.IntStream.range(0, DEVICES).mapToObj(i -> "dev-" + i)
                    .filter(id -> !committedBeforeKill.containsKey(id)).findFirst().orElseThrow();
            Files.writeString(out.resolve("bundles").resolve(uncommitted + ".tar"), "an archive whose chunk never committed");
        }

        // The restart once failed on a busy machine; should it fail again, what it said, the killed run's log and the
        // ledger it found are kept under target/ (surefire deletes the temporary folder).
        Path ledgerAtKill = dir.resolve("ledger-at-kill.mv.db");
        Files.copy(out.resolve(".keyline/ledger.mv.db"), ledgerAtKill);
        CommandOutput restart = CommandOutput.run("restart", "--out", out.toString(), "--passphrase-file",
                passphrase.toString(), "--no-progress");
        if (restart.exitCode() != 0) {
            Path kept = keepEvidence(layout, ledgerAtKill, out);
            throw new AssertionError("the restart after the kill exited " + restart.exitCode() + "; evidence in " + kept
                    + ":\n" + restart.out() + restart.err());
        }

        Map<String, String> after = ledger(out);
        assertThat(after).hasSize(DEVICES);
        assertThat(Set.copyOf(after.values())).as("certificate ids are unique").hasSize(DEVICES);
        committedBeforeKill.forEach((device, certificateId) ->
                assertThat(after.get(device)).as("%s keeps its certificate across the restart", device)
                        .isEqualTo(certificateId));

        List<CSVRecord> rows = ProvisionRunTest.readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(DEVICES);
        Path bundles = layout == BundleLayout.DIR ? out.resolve("bundles") : extractArchives(out, after);
        Set<String> bundleDirs;
        try (Stream<Path> dirs = Files.list(bundles)) {
            bundleDirs = dirs.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .collect(Collectors.toSet());
        }
        assertThat(bundleDirs).as("no stray bundle, none missing").isEqualTo(after.keySet());
        for (CSVRecord row : rows) {
            Path folder = layout == BundleLayout.DIR ? out.resolve(row.get("bundle_path"))
                    : bundles.resolve(row.get("bundle_entry"));
            Path cert = folder.resolve("device.crt.pem");
            assertThat(ProvisionRunTest.sha256(IndependentVerifier.readCertificate(cert).getEncoded()))
                    .as("bundle on disk matches the ledger for %s", row.get("device_id"))
                    .isEqualTo(after.get(row.get("device_id")));
        }
        ProvisionRunTest.assertSha256SumsMatch(out);
        // The manifest merged from the chunks' row files, the killed run's among them, is the ledger's.
        assertThat(ExportEquivalence.assertRowFilesGiveTheLedgersExport(out, dir.resolve("from-ledger"))).isEqualTo(DEVICES);
        List<Path> sample = rows.stream().limit(200).map(r -> bundles.resolve(r.get("device_id")).resolve("device.crt.pem"))
                .toList();
        IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, sample);
    }

    /**
     * Each archive on disk is recorded in the ledger, each device is in exactly one archive; extracted with the
     * system's tar into one folder, as the line would.
     */
    private Path extractArchives(Path out, Map<String, String> ledger) throws Exception {
        Set<String> recorded = new HashSet<>();
        try (Connection c = LedgerFile.open(out);
             ResultSet rs = c.createStatement().executeQuery("SELECT path FROM bundle_archive")) {
            while (rs.next()) {
                recorded.add(rs.getString(1));
            }
        }
        List<Path> archives;
        try (Stream<Path> files = Files.list(out.resolve("bundles"))) {
            archives = files.filter(Files::isRegularFile).toList();
        }
        assertThat(archives).as("only archives the ledger records")
                .extracting(a -> "bundles/" + a.getFileName()).containsExactlyInAnyOrderElementsOf(recorded);
        Map<String, Path> deviceArchive = new HashMap<>();
        Path extracted = dir.resolve("extracted");
        for (Path archive : archives) {
            for (String entry : Tar.list(archive)) {
                if (entry.endsWith("/")) {
                    String device = entry.substring(0, entry.length() - 1);
                    assertThat(deviceArchive.put(device, archive)).as("%s is in one archive only", device).isNull();
                }
            }
            Tar.extract(archive, extracted);
        }
        assertThat(deviceArchive.keySet()).isEqualTo(ledger.keySet());
        return extracted;
    }

    private Path keepEvidence(BundleLayout layout, Path ledgerAtKill, Path out) throws IOException {
        Path kept = Path.of("target", "kill-and-restart-evidence", layout.id() + "-" + System.currentTimeMillis())
                .toAbsolutePath();
        Files.createDirectories(kept);
        Files.copy(dir.resolve("child.log"), kept.resolve("child.log"));
        Files.copy(ledgerAtKill, kept.resolve("ledger-at-kill.mv.db"));
        Files.copy(out.resolve(".keyline/ledger.mv.db"), kept.resolve("ledger-after-restart.mv.db"));
        Path log = out.resolve(".keyline/keyline.log");
        if (Files.exists(log)) {
            Files.copy(log, kept.resolve("keyline.log"));
        }
        return kept;
    }

    /**
     * Waits until the child has committed at least {@code atLeast} devices, read from its ledger: a state, not a time,
     * so a fast machine cannot let the child finish before the kill, nor a slow one kill it before any commit.
     */
    private static void waitForCommitted(Path out, long atLeast, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            if (LedgerFile.identitiesWhileServed(out) >= atLeast) {
                return;
            }
            if (child.waitFor(20, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the child run ended before it could be killed (exit " + child.exitValue() + ")");
            }
        }
        throw new AssertionError("the child run committed fewer than " + atLeast + " devices in 300 s");
    }

    /** device id → certificate id, read straight from the H2 ledger. */
    private static Map<String, String> ledger(Path out) throws Exception {
        return LedgerFile.certificateIds(out);
    }

    private static String javaBinary() throws IOException {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : ""))
                .toString();
    }
}
