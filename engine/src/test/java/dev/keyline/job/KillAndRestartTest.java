package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.cli.Keyline;
import dev.keyline.testing.IndependentVerifier;

/**
 * Exactly once across a crash: a run in a child JVM is killed with SIGKILL mid-run, then restarted; every device
 * ends issued exactly once, devices committed before the kill keep their certificate, and the bundles on disk
 * match the ledger.
 */
class KillAndRestartTest {

    private static final int DEVICES = 3000;

    @TempDir
    Path dir;

    @Test
    void restartAfterSigkillCompletesTheRunWithEveryDeviceIssuedExactlyOnce() throws Exception {
        Path passphrase = dir.resolve("pass.txt");
        Files.writeString(passphrase, "kill-test-passphrase\n");
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Kill Test CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", passphrase.toString())).isZero();
        Path manifest = ProvisionRunTest.manifest(dir, DEVICES);
        Path out = dir.resolve("out");

        Process child = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                Keyline.class.getName(), "run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(),
                "--passphrase-file", passphrase.toString(), "--threads", "2", "--chunk-size", "40", "--no-progress")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        waitForBundles(out, 300, child);
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed, not finished").isNotZero();

        String status = captureStdout(() -> assertThat(Keyline.execute("status", "--out", out.toString())).isZero());
        assertThat(status).contains("DIED").contains("keyline restart --out " + out.toAbsolutePath().normalize());

        Map<String, String> committedBeforeKill = ledger(out);
        assertThat(committedBeforeKill.size()).isBetween(1, DEVICES - 1);

        assertThat(Keyline.execute("restart", "--out", out.toString(), "--passphrase-file", passphrase.toString(),
                "--no-progress")).isZero();

        Map<String, String> after = ledger(out);
        assertThat(after).hasSize(DEVICES);
        assertThat(Set.copyOf(after.values())).as("certificate ids are unique").hasSize(DEVICES);
        committedBeforeKill.forEach((device, certificateId) ->
                assertThat(after.get(device)).as("%s keeps its certificate across the restart", device)
                        .isEqualTo(certificateId));

        Set<String> bundleDirs;
        try (Stream<Path> dirs = Files.list(out.resolve("bundles"))) {
            bundleDirs = dirs.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .collect(Collectors.toSet());
        }
        assertThat(bundleDirs).as("no stray bundle, none missing").isEqualTo(after.keySet());
        List<CSVRecord> rows = ProvisionRunTest.readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(DEVICES);
        for (CSVRecord row : rows) {
            Path cert = out.resolve(row.get("bundle_path")).resolve("device.crt.pem");
            assertThat(ProvisionRunTest.sha256(IndependentVerifier.readCertificate(cert).getEncoded()))
                    .as("bundle on disk matches the ledger for %s", row.get("device_id"))
                    .isEqualTo(after.get(row.get("device_id")));
        }
        ProvisionRunTest.assertSha256SumsMatch(out);
        List<Path> sample = rows.stream().limit(200).map(r -> out.resolve(r.get("bundle_path")).resolve("device.crt.pem"))
                .toList();
        IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, sample);
    }

    private static String captureStdout(Runnable action) {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void waitForBundles(Path out, int atLeast, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the child run ended before it could be killed (exit " + child.exitValue() + ")");
            }
            Path bundles = out.resolve("bundles");
            if (Files.isDirectory(bundles)) {
                try (Stream<Path> s = Files.list(bundles)) {
                    if (s.count() >= atLeast) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the child run made no progress");
    }

    /** device id → certificate id, read straight from the H2 ledger. */
    private static Map<String, String> ledger(Path out) throws Exception {
        String url = "jdbc:h2:file:" + out.toAbsolutePath().resolve(".keyline/ledger");
        Map<String, String> result = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT device_id, certificate_id FROM device_identity")) {
            while (rs.next()) {
                assertThat(result.put(rs.getString(1), rs.getString(2))).as("one row per device").isNull();
            }
        }
        return result;
    }

    private static String javaBinary() throws IOException {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : ""))
                .toString();
    }
}
