package dev.keyline.testing;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * Whether the openssl command is here, and what a test does without it. `mvn verify` needs only a JDK and
 * Maven, so there a missing openssl skips the OpenSSL step (the JDK's CertPathValidator still checks every
 * certificate) or, for a test that needs openssl to make its input, the test; the full suite (-Pfull, which CI
 * runs) fails instead, naming it.
 */
public final class OpenSslAvailability {

    private static final Optional<Path> OPENSSL = find();

    private OpenSslAvailability() {
    }

    public static Optional<Path> path() {
        return OPENSSL;
    }

    /** True when the full suite runs: every outside tool must be there. */
    public static boolean fullSuite() {
        return Boolean.getBoolean("keyline.full");
    }

    /** The openssl binary, or the test stops: failed in the full suite, skipped (aborted) otherwise. */
    public static Path require() {
        if (OPENSSL.isPresent()) {
            return OPENSSL.get();
        }
        String why = "openssl is not installed (apt-get install openssl)";
        if (fullSuite()) {
            return fail(why + ": the full suite verifies certificates with it");
        }
        Assumptions.abort(why + ": this check runs where openssl is present; the full suite requires it");
        throw new AssertionError("unreachable");
    }

    /** For a verification step that the JDK also covers: run it only where openssl is (always in the full suite). */
    public static boolean shouldVerify() {
        if (OPENSSL.isPresent()) {
            return true;
        }
        if (fullSuite()) {
            fail("openssl is not installed (apt-get install openssl): the full suite verifies certificates with it");
        }
        return false;
    }

    private static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, "openssl");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
