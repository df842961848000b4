package dev.keyline.x509;

import dev.keyline.error.KeylineException;

/** A device's certificate signing request that Keyline will not certify; the message says why and what to do. */
public class InvalidCsrException extends KeylineException {

    public InvalidCsrException(String message) {
        super(Kind.REJECTED_INPUT, message);
    }

    public InvalidCsrException(String message, Throwable cause) {
        super(Kind.REJECTED_INPUT, message, cause);
    }
}
