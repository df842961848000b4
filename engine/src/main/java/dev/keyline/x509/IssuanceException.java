package dev.keyline.x509;

/** A certificate cannot be issued for this request; the message says why and what to change. */
public class IssuanceException extends RuntimeException {

    public IssuanceException(String message) {
        super(message);
    }

    public IssuanceException(String message, Throwable cause) {
        super(message, cause);
    }
}
