package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.IssuedBundles;
import dev.keyline.testing.LedgerFile;
import dev.keyline.testing.Manifests;
import dev.keyline.testing.CommandOutput;

/**
 * Commands on an output cause no database errors: H2 writes each failed statement, with its stack trace, to
 * .keyline/ledger.trace.db, which grew by about 26 KB on every keyline status when the Batch schema script ran
 * each time ("Table BATCH_JOB_INSTANCE already exists").
 */
class LedgerTraceTest {

    @TempDir
    Path dir;

    @Test
    void runStatusAndStatusLeaveNoTraceFile() throws Exception {
        Path passphrase = Files.writeString(dir.resolve("pass.txt"), "trace-test\n");
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Trace CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", passphrase.toString())).isZero();
        Path out = dir.resolve("out");
        CommandOutput run = CommandOutput.run("run", Manifests.devices(dir, 5).toString(), "--ca", ca.toString(),
                "--out", out.toString(), "--passphrase-file", passphrase.toString(), "--no-progress");
        assertThat(run.exitCode()).as(run.err()).isZero();
        IssuedBundles.verify(out, ca, LedgerFile.certificateIds(out));

        assertThat(CommandOutput.run("status", "--out", out.toString()).exitCode()).isZero();
        assertThat(CommandOutput.run("status", "--out", out.toString()).exitCode()).isZero();

        Path trace = out.resolve(".keyline/ledger.trace.db");
        assertThat(trace).as(() -> "H2's error trace:\n" + read(trace)).doesNotExist();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
