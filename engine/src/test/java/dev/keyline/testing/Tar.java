package dev.keyline.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The system's {@code tar} (GNU tar), as an independent reader of the archive bundle layout. */
public final class Tar {

    private Tar() {
    }

    /** Entry names, in archive order. */
    public static List<String> list(Path archive) {
        return List.of(run(List.of("tar", "-tf", archive.toString())).split("\n"));
    }

    /** {@code tar -tvf}: one line per entry with its mode, e.g. {@code -rw------- ... dev-1/device.key.pem}. */
    public static List<String> listVerbose(Path archive) {
        return List.of(run(List.of("tar", "-tvf", archive.toString())).split("\n"));
    }

    /** Extracts with the archive's permissions ({@code -p}) into {@code into}, created if absent. */
    public static void extract(Path archive, Path into) {
        try {
            Files.createDirectories(into);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        run(List.of("tar", "-xpf", archive.toAbsolutePath().toString(), "-C", into.toAbsolutePath().toString()));
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return fail("timed out: " + command);
            }
            if (process.exitValue() != 0) {
                return fail(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + output);
            }
            return output.strip();
        } catch (IOException e) {
            return fail("tar is needed to read the archive layout independently and could not be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }
}
