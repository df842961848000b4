package dev.keyline.x509;

import dev.keyline.error.KeylineException;

/** A certificate cannot be issued for this request; the message says why and what to change. */
public class IssuanceException extends KeylineException {

    public IssuanceException(String message) {
        super(Kind.REJECTED_INPUT, message);
    }

    public IssuanceException(String message, Throwable cause) {
        super(Kind.REJECTED_INPUT, message, cause);
    }
}
