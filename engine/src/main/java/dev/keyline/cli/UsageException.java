package dev.keyline.cli;

import dev.keyline.error.KeylineException;

/** A bad command line or configuration: nothing was done; exit code 2 with this message. */
public class UsageException extends KeylineException {

    public UsageException(String message) {
        super(Kind.CONFIGURATION, message);
    }

    public UsageException(String message, Throwable cause) {
        super(Kind.CONFIGURATION, message, cause);
    }
}
