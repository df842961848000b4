package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.step.FatalStepExecutionException;

import dev.keyline.ca.CaException;
import dev.keyline.device.InvalidDeviceException;
import dev.keyline.device.ManifestException;
import dev.keyline.error.KeylineException.Kind;
import dev.keyline.job.SkipLimitExceededException;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.DeviceKeyException;
import dev.keyline.x509.InvalidSubjectException;

/** The exit code of a command that ends with an exception follows the exception's kind, wherever it is wrapped. */
class ErrorKindsTest {

    private final ErrorKinds mapper = new ErrorKinds();

    @Test
    void eachKindHasTheDocumentedExitCode() {
        assertThat(ErrorKinds.exitCode(Kind.CONFIGURATION)).isEqualTo(ExitCodes.USAGE);
        assertThat(ErrorKinds.exitCode(Kind.REJECTED_INPUT)).isEqualTo(ExitCodes.USAGE);
        assertThat(ErrorKinds.exitCode(Kind.TRANSIENT)).isEqualTo(ExitCodes.FAILED);
        assertThat(ErrorKinds.exitCode(Kind.FAILURE)).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void keylineExceptionsMapByTheirKind() {
        assertThat(mapper.getExitCode(new CaException("no CA at ca/: run keyline ca init"))).isEqualTo(ExitCodes.USAGE);
        assertThat(mapper.getExitCode(new InvalidSubjectException("C must be two letters", "C", "USA")))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(mapper.getExitCode(new DeviceKeyException("dev-1", "token removed", null))).isEqualTo(ExitCodes.FAILED);
        assertThat(mapper.getExitCode(new SkipLimitExceededException(11, 10))).isEqualTo(ExitCodes.FAILED);
        assertThat(ErrorKinds.of(catching(() -> CryptoProvider.fromId("openssl")))).isEqualTo(Kind.CONFIGURATION);
    }

    @Test
    void aBareIllegalArgumentExceptionFromInsideIsAFailureNotAConfigurationError() {
        assertThat(ErrorKinds.of(new IllegalArgumentException("a DER length cannot be negative: -1")))
                .isEqualTo(Kind.FAILURE);
        assertThat(mapper.getExitCode(new IllegalArgumentException("a DER length cannot be negative: -1")))
                .isEqualTo(ExitCodes.FAILED);
        assertThat(mapper.getExitCode(new UncheckedIOException(new IOException("No space left on device"))))
                .isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void theKindIsFoundThroughFrameworkWrappersByTheCauseChain() {
        Throwable wrapped = new ExecutionException(new FatalStepExecutionException("step failed",
                new CaException("the CA passphrase is wrong: check $KEYLINE_CA_PASSPHRASE")));
        assertThat(ErrorKinds.of(wrapped)).isEqualTo(Kind.CONFIGURATION);
        assertThat(Failures.describe(wrapped)).isEqualTo("the CA passphrase is wrong: check $KEYLINE_CA_PASSPHRASE");
    }

    @Test
    void theOutermostKindedExceptionDecidesAndSpeaks() {
        // A row refused because of its subject: the row's exception (with line and device) is what a person needs.
        Throwable row = new InvalidDeviceException(7, "dev-7", "subject: C must be two letters",
                new InvalidSubjectException("C must be two letters", "C", "USA"));
        assertThat(ErrorKinds.of(new RuntimeException(row))).isEqualTo(Kind.REJECTED_INPUT);
        assertThat(Failures.describe(new RuntimeException(row))).isEqualTo(row.getMessage());
        assertThat(ErrorKinds.of(new ManifestException(Path.of("m.csv"), "unknown column \"colour\"")))
                .isEqualTo(Kind.CONFIGURATION);
    }

    @Test
    void aFailureWithoutKindIsDescribedByItsDeepestMessage() {
        Throwable wrapped = new FatalStepExecutionException("step failed",
                new UncheckedIOException("writing bundles/dev-1", new IOException("No space left on device")));
        assertThat(Failures.describe(wrapped)).isEqualTo("No space left on device");
    }

    private static Throwable catching(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected an exception");
    }
}
