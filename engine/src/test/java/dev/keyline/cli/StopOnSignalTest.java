package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.ChildKeyline;
import dev.keyline.testing.IssuedBundles;
import dev.keyline.testing.LedgerFile;
import dev.keyline.testing.Manifests;
import dev.keyline.testing.CommandOutput;
import dev.keyline.testing.ExactlyOnce;

/**
 * SIGTERM (what Ctrl-C's SIGINT also does) to a run in a child JVM: it stops after the chunks in flight commit, ends
 * STOPPED with exit 1 and the restart command, and the restart completes with every device issued exactly once.
 */
class StopOnSignalTest {

    private static final int DEVICES = 3000;
    private static final int CHUNK = 40;
    private static final int THREADS = 2;

    @TempDir
    Path dir;

    @Test
    void theFirstSigtermStopsAfterTheCurrentChunkAndTheRunRestartsToTheEnd() throws Exception {
        Path passphrase = Files.writeString(dir.resolve("pass.txt"), "signal-test-passphrase\n");
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Signal Test CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", passphrase.toString())).isZero();
        Path manifest = Manifests.devices(dir, DEVICES);
        Path out = dir.resolve("out").toAbsolutePath();

        ChildKeyline child = ChildKeyline.start(dir.resolve("child.log"), "run", manifest.toString(), "--ca",
                ca.toString(), "--out", out.toString(), "--passphrase-file", passphrase.toString(), "--threads",
                Integer.toString(THREADS), "--chunk-size", Integer.toString(CHUNK), "--no-progress");
        awaitCommitted(out, 5 * CHUNK, child);
        child.terminate();
        int exit = child.awaitExit(120);

        String printed = child.output();
        assertThat(exit).as(printed).isEqualTo(ExitCodes.FAILED);
        assertThat(printed).contains("SIGTERM: stopping after the current chunk")
                .contains("stopped by the signal").contains("resume with: keyline restart --out " + out)
                .as("no stack trace on the console").doesNotContain("\tat ");

        CommandOutput status = CommandOutput.run("status", "--out", out.toString());
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).contains("STOPPED").contains("keyline restart --out " + out);

        Map<String, String> committed = LedgerFile.certificateIds(out);
        assertThat(committed.size()).isBetween(5 * CHUNK, DEVICES - 1);
        assertWholeChunks(committed.keySet());
        assertThat(bundleFolders(out)).as("a bundle for every committed device, none for another")
                .isEqualTo(committed.keySet());

        CommandOutput restart = CommandOutput.run("restart", "--out", out.toString(), "--passphrase-file",
                passphrase.toString(), "--no-progress");
        assertThat(restart.exitCode()).as(restart.err()).isZero();

        Map<String, String> after = ExactlyOnce.afterResume(out, DEVICES, committed);
        IssuedBundles.verify(out, ca, after);
    }

    /**
     * Each partition reads a contiguous range of rows and commits whole chunks: what it committed is a prefix of its
     * range whose length is a multiple of the chunk size (this manifest rejects nothing).
     */
    private static void assertWholeChunks(Set<String> committed) {
        for (int partition = 0; partition < THREADS; partition++) {
            int first = DEVICES * partition / THREADS;
            int end = DEVICES * (partition + 1) / THREADS;
            int done = 0;
            while (first + done < end && committed.contains("dev-" + (first + done))) {
                done++;
            }
            for (int i = first + done; i < end; i++) {
                assertThat(committed).as("partition %d committed a prefix of its rows", partition)
                        .doesNotContain("dev-" + i);
            }
            assertThat(done % CHUNK == 0 || first + done == end)
                    .as("partition %d committed %d rows: whole chunks of %d", partition, done, CHUNK).isTrue();
        }
    }

    private static Set<String> bundleFolders(Path out) throws Exception {
        try (Stream<Path> folders = Files.list(out.resolve("bundles"))) {
            return folders.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static void awaitCommitted(Path out, int atLeast, ChildKeyline child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (LedgerFile.identities(out) < atLeast) {
            if (!child.process().isAlive()) {
                throw new AssertionError("the run ended before the signal:\n" + child.output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + atLeast + " devices committed in time:\n" + child.output());
            }
            Thread.onSpinWait();
            child.process().waitFor(50, TimeUnit.MILLISECONDS);
        }
    }
}
