package dev.keyline.x509;

/** A device's certificate signing request that Keyline will not certify; the message says why and what to do. */
public class InvalidCsrException extends RuntimeException {

    public InvalidCsrException(String message) {
        super(message);
    }

    public InvalidCsrException(String message, Throwable cause) {
        super(message, cause);
    }
}
