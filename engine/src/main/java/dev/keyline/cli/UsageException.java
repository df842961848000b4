package dev.keyline.cli;

/** A bad command line or configuration: nothing was done; exit code 2 with this message. */
public class UsageException extends RuntimeException {

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
