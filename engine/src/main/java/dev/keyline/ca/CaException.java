package dev.keyline.ca;

/**
 * A CA cannot be created, loaded or used. The message says what is wrong and what to do about it;
 * it never contains a passphrase or key material.
 */
public class CaException extends RuntimeException {

    public CaException(String message) {
        super(message);
    }

    public CaException(String message, Throwable cause) {
        super(message, cause);
    }
}
