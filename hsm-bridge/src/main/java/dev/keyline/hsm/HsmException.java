package dev.keyline.hsm;

/**
 * A PKCS#11 token cannot be configured, opened or used. Subclasses name the cause; every message says what
 * to change. Messages never contain the PIN.
 */
public class HsmException extends RuntimeException {

    public HsmException(String message) {
        super(message);
    }

    public HsmException(String message, Throwable cause) {
        super(message, cause);
    }
}
