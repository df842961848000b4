package dev.keyline.keys;

/** The key pool cannot be used as asked: missing, wrong passphrase, damaged batch. The message says the fix. */
public class KeyPoolException extends RuntimeException {

    public KeyPoolException(String message) {
        super(message);
    }

    public KeyPoolException(String message, Throwable cause) {
        super(message, cause);
    }
}
