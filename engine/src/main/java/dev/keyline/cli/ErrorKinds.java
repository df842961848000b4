package dev.keyline.cli;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

import dev.keyline.error.KeylineException;
import dev.keyline.error.KeylineException.Kind;
import picocli.CommandLine.IExitCodeExceptionMapper;

/**
 * The exit code of a command that ended with an exception, from the exception's {@link Kind}: the outermost Keyline
 * exception in the cause chain decides, so a step's failure wrapped by Spring Batch or an executor still counts as
 * what it is. Anything else (a bare {@link IllegalArgumentException} from deep inside, an I/O error) is a failure.
 */
final class ErrorKinds implements IExitCodeExceptionMapper {

    @Override
    public int getExitCode(Throwable exception) {
        return exitCode(of(exception));
    }

    static int exitCode(Kind kind) {
        return switch (kind) {
            // Reaching the top of a command, a refused input (a subject, a certificate file) was refused before
            // anything was done; inside a run, refused rows never get here: they go to rejects.csv.
            case CONFIGURATION, REJECTED_INPUT -> ExitCodes.USAGE;
            case TRANSIENT, FAILURE -> ExitCodes.FAILED;
        };
    }

    static Kind of(Throwable exception) {
        return classified(exception).map(ErrorKinds::kindOf).orElse(Kind.FAILURE);
    }

    /** The outermost exception of the chain that has a kind: it says what failed and the fix. */
    static Optional<Throwable> classified(Throwable exception) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = exception; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof KeylineException) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static Kind kindOf(Throwable classified) {
        return ((KeylineException) classified).kind();
    }
}
