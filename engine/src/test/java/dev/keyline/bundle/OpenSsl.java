package dev.keyline.bundle;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code openssl} command as an independent verifier. Missing openssl fails the test. */
final class OpenSsl {

    private OpenSsl() {
    }

    /** Runs {@code openssl args...} in {@code directory}; fails unless it exits 0. Returns stdout and stderr. */
    static String run(Path directory, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(dev.keyline.testing.OpenSslAvailability.require().toString());
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return fail("openssl is needed as an independent verifier and could not be run (install OpenSSL 3): "
                    + e.getMessage());
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return fail("timed out: " + command);
        }
        if (process.exitValue() != 0) {
            return fail(String.join(" ", command) + " exited " + process.exitValue() + ":\n" + output);
        }
        return output;
    }
}
