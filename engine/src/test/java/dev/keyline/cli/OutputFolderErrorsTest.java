package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.Manifests;
import dev.keyline.testing.CommandOutput;

/** An --out that cannot be used stops the run with exit 2, the reason and the fix, before any key. */
class OutputFolderErrorsTest {

    @TempDir
    Path dir;
    Path ca;
    Path passphrase;
    Path manifest;

    @BeforeEach
    void ca() throws IOException {
        passphrase = Files.writeString(dir.resolve("pass.txt"), "output-folder-test\n");
        ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Output Test CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", passphrase.toString())).isZero();
        manifest = Manifests.devices(dir, 3);
    }

    private CommandOutput run(Path out) {
        return CommandOutput.run("run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(),
                "--passphrase-file", passphrase.toString(), "--no-progress");
    }

    @Test
    void aRegularFileIsNotAFolder() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a folder\n");
        CommandOutput result = run(file);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains(file + " is a file, not a folder").contains("choose another --out");
        assertThat(Files.readString(file)).isEqualTo("not a folder\n");
    }

    @Test
    void aFolderBelowAFileIsNotPossibleEither() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a folder\n");
        CommandOutput result = run(file.resolve("run-1"));
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains(file + " is a file, not a folder").contains("choose another --out");
    }

    @Test
    void procHoldsNoFiles() {
        CommandOutput result = run(Path.of("/proc/keyline-output-test"));
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("/proc is on proc, a kernel file system").contains("choose another --out");
    }
}
