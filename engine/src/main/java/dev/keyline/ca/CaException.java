package dev.keyline.ca;

import dev.keyline.error.KeylineException;

/**
 * A CA cannot be created, loaded or used. The message says what is wrong and what to do about it;
 * it never contains a passphrase or key material.
 */
public class CaException extends KeylineException {

    public CaException(String message) {
        super(Kind.CONFIGURATION, message);
    }

    public CaException(String message, Throwable cause) {
        super(Kind.CONFIGURATION, message, cause);
    }
}
