package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.job.DiskSpaceLowException;
import dev.keyline.testing.ChildKeyline;
import dev.keyline.testing.IssuedBundles;
import dev.keyline.testing.LedgerFile;
import dev.keyline.testing.Manifests;
import dev.keyline.testing.Tmpfs;
import dev.keyline.testing.CommandOutput;
import dev.keyline.testing.ExactlyOnce;

/**
 * A run on a disk that fills up, for real: a small tmpfs (root: {@code mount}), first under the whole output, so the
 * bundles fill it, then under {@code OUT/.keyline} only, so the H2 ledger fills it; the run stops short of a full disk
 * ({@code DiskSpaceGuard}), so that neither H2 nor the log ever meets ENOSPC. Then a disk that another process fills
 * between two checks: the writes fail for real. Every way the run ends with exit 1 and one clear message, commits
 * nothing partial, {@code status} reads the disk, and once there is room the restart issues every device exactly once.
 */
@Tag("full")
class FullDiskTest {

    private static final int DEVICES = 1000;
    private static final int CHUNK = 20;
    private static final int MAX_CONSOLE_LINES = 8;
    private static final String ENOSPC = "No space left on device";
    private static final java.util.regex.Pattern PROGRESS = java.util.regex.Pattern.compile("keyline: [\\d,]+/[\\d,]+ rows done");

    @TempDir
    Path dir;

    private Tmpfs tmpfs;

    @AfterEach
    void unmount() throws Exception {
        if (tmpfs != null) {
            tmpfs.close();
        }
    }

    /*
     * Sizes: the run keeps, per disk, a chunk per thread and 2 MB for its closing writes (2.8 MB for bundles and
     * ledger together here), beside an H2 file of about 1.2 MB before the first device; what is left holds some
     * chunks, far fewer than 1,000 devices.
     */
    @Test
    void bundlesFillTheDisk() throws Exception {
        Path out = dir.resolve("out").toAbsolutePath();
        tmpfs = Tmpfs.mount(out, 8);
        stopsShortOfAFullDisk(out, out, true);
    }

    @Test
    void theLedgerFillsTheDisk() throws Exception {
        Path out = dir.resolve("out").toAbsolutePath();
        Path state = Files.createDirectories(out.resolve(".keyline"));
        tmpfs = Tmpfs.mount(state, 4);
        stopsShortOfAFullDisk(out, state, false);
    }

    /** Another process takes the last byte while the run goes: bundle, ledger and log writes fail with ENOSPC. */
    @Test
    void anotherProcessFillsTheDisk() throws Exception {
        Path out = dir.resolve("out").toAbsolutePath();
        tmpfs = Tmpfs.mount(out, 64);
        ChildKeyline run = startRun(out);
        awaitCommitted(out, 2 * CHUNK, run);
        Path filler = fill(out);
        assertFailedRun(out, out, run);

        Map<String, String> committed = resumeAfter(out, () -> Files.delete(filler));
        assertThat(committed.size()).as("some chunks committed before the disk filled").isBetween(2 * CHUNK, DEVICES - 1);
    }

    /** @param warned whether the run's space estimate warns (it looks at the disk of the bundles) */
    private void stopsShortOfAFullDisk(Path out, Path shortFolder, boolean warned) throws Exception {
        ChildKeyline run = startRun(out);
        String printed = assertFailedRun(out, shortFolder, run);
        assertThat(printed).as("the run says what it needs to go on").contains("needed to go on");
        if (warned) {
            assertThat(printed).contains("keyline: warning: " + String.format(java.util.Locale.ROOT, "%,d", DEVICES) + " devices need about");
        }
        // It stopped before the disk filled: no write met ENOSPC (the system's words, capitalised; the run's own
        // message says "no space left"), not even the log's or the ledger's closing ones.
        assertThat(printed).doesNotContain("cannot write the log file").doesNotContain(ENOSPC);
        assertThat(Files.readString(out.resolve(".keyline/keyline.log"))).doesNotContain(ENOSPC)
                .contains(DiskSpaceLowException.class.getName());
        assertThat(tmpfs.usableBytes()).as("room left on the disk").isPositive();

        Map<String, String> committed = resumeAfter(out, () -> tmpfs.resize(64));
        assertThat(committed.size()).as("some chunks committed before the disk filled").isBetween(CHUNK, DEVICES - 1);
    }

    private ChildKeyline startRun(Path out) throws Exception {
        Path passphrase = passphrase();
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Full Disk CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", passphrase.toString())).isZero();
        Path manifest = Manifests.devices(dir, DEVICES);
        return ChildKeyline.start(dir.resolve("run.log"), "run", manifest.toString(), "--ca", ca.toString(),
                "--out", out.toString(), "--passphrase-file", passphrase.toString(), "--bundle-layout", "dir",
                "--threads", "2", "--chunk-size", Integer.toString(CHUNK), "--no-progress");
    }

    private Path passphrase() throws java.io.IOException {
        return Files.writeString(dir.resolve("pass.txt"), "full-disk-test-passphrase\n");
    }

    /** Exit 1 with one message that names the folder on the short disk and the restart; {@code status} reads it. */
    private String assertFailedRun(Path out, Path shortFolder, ChildKeyline run) throws Exception {
        int exit = run.awaitExit(300);
        String printed = run.output();
        assertThat(exit).as(printed).isEqualTo(ExitCodes.FAILED);
        // Progress lines come every 5 s whatever happens (a stuck ledger takes LedgerWatchdog's grace to end): not a flood.
        assertThat(printed.lines().filter(line -> !PROGRESS.matcher(line).lookingAt()).count())
                .as("one message, no flood:%n%s", printed).isLessThanOrEqualTo(MAX_CONSOLE_LINES);
        assertThat(printed).as("no stack trace").doesNotContain("\tat ").doesNotContain("\\u0009at ")
                .doesNotContain("could not start")
                .contains("no space left on device for " + shortFolder + " (").contains("free space on that disk")
                .contains("resume with: keyline restart --out " + out);

        CommandOutput status = CommandOutput.run("status", "--out", out.toString());
        assertThat(status.exitCode()).as("%s%nin .keyline: %s", status.err(), listing(out.resolve(".keyline"))).isZero();
        assertThat(status.out()).contains("keyline restart --out " + out);
        assertThat(status.err()).doesNotContain("\tat ").doesNotContain("\\u0009at ");
        return printed;
    }

    /**
     * Makes room ({@code makeRoom}), checks what committed, restarts, and checks every device was issued exactly once.
     *
     * @return what had committed before the restart: device id → certificate id
     */
    private Map<String, String> resumeAfter(Path out, Room makeRoom) throws Exception {
        makeRoom.make();
        Map<String, String> committed = LedgerFile.certificateIds(out);
        assertCompleteBundles(out, committed.keySet());

        CommandOutput restart = CommandOutput.run("restart", "--out", out.toString(), "--passphrase-file",
                passphrase().toString(), "--no-progress");
        assertThat(restart.exitCode()).as(restart.err()).isZero();
        Map<String, String> after = ExactlyOnce.afterResume(out, DEVICES, committed);
        IssuedBundles.verify(out, dir.resolve("ca"), after);
        assertCompleteBundles(out, after.keySet());
        assertThat(Files.readString(out.resolve("manifest.csv")).lines().count()).isEqualTo(DEVICES + 1);
        return committed;
    }

    @FunctionalInterface
    private interface Room {
        void make() throws Exception;
    }

    /**
     * Waits until the run has committed at least {@code atLeast} devices, read from its ledger: a state, not a time, so
     * the disk fills while the run goes, however fast the machine.
     */
    private static void awaitCommitted(Path out, long atLeast, ChildKeyline run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline) {
            if (LedgerFile.identitiesWhileServed(out) >= atLeast) {
                return;
            }
            if (run.process().waitFor(20, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the run ended before the disk filled (exit " + run.process().exitValue()
                        + "):\n" + run.output());
            }
        }
        throw new AssertionError("the run committed fewer than " + atLeast + " devices in 300 s");
    }

    /** Takes every free block of the folder's disk, as another process would; returns the file that holds them. */
    private Path fill(Path folder) throws Exception {
        Path filler = folder.resolve("filler");
        byte[] block = new byte[4096];
        try (java.io.OutputStream o = Files.newOutputStream(filler)) {
            while (true) {
                o.write(block);
            }
        } catch (java.io.IOException full) {
            assertThat(full).hasMessageContaining(ENOSPC);
        }
        return filler;
    }

    private static String listing(Path folder) throws java.io.IOException {
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName() + " (" + f.toFile().length() + " bytes)").sorted().toList().toString();
        }
    }

    /** Every file the ledger records for these devices is there, whole: its SHA-256 is the one recorded. */
    private static void assertCompleteBundles(Path out, Set<String> devices) throws Exception {
        int checked = 0;
        try (Connection c = LedgerFile.open(out);
             ResultSet rs = c.createStatement().executeQuery("SELECT device_id, bundle_sums FROM device_identity")) {
            while (rs.next()) {
                assertThat(devices).contains(rs.getString(1));
                for (String line : rs.getString(2).split("\n")) {
                    String[] sum = line.split("  ", 2);
                    Path file = out.resolve(sum[1]);
                    assertThat(file).as("a file of %s", rs.getString(1)).isRegularFile();
                    String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(file)));
                    assertThat(actual).as("%s is whole", file).isEqualTo(sum[0]);
                    checked++;
                }
            }
        }
        assertThat(checked).as("bundle files checked").isGreaterThanOrEqualTo(devices.size());
    }
}
