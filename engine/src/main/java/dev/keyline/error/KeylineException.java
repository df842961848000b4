package dev.keyline.error;

/**
 * The root of Keyline's own exceptions. Each says, by its {@link Kind}, what the failure means for the person who ran
 * the command, so the CLI derives the exit code from the kind instead of from a list of exception classes, and a bare
 * {@link IllegalArgumentException} from deep inside (a bug) is never mistaken for a mistake in the configuration.
 *
 * <p>Messages are for a person: they name the problem and the fix, never a secret.
 */
public abstract class KeylineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What a failure means to whoever ran the command. */
    public enum Kind {
        /** The command line or a configuration file (CA, profile, template, targets, output) cannot be used. */
        CONFIGURATION,
        /** An input the command was given (a row, a subject, a CSR, a certificate file) is refused. */
        REJECTED_INPUT,
        /** Something outside Keyline failed for now (a token, a network); running it again may succeed. */
        TRANSIENT,
        /** The work failed; what was committed stays, and a restart goes on from there. */
        FAILURE
    }

    private final Kind kind;

    protected KeylineException(Kind kind, String message) {
        this(kind, message, null);
    }

    protected KeylineException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
    }

    public final Kind kind() {
        return kind;
    }
}
