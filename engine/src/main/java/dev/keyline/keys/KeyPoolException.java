package dev.keyline.keys;

import dev.keyline.error.KeylineException;

/** The key pool cannot be used as asked: missing, wrong passphrase, damaged batch. The message says the fix. */
public class KeyPoolException extends KeylineException {

    public KeyPoolException(String message) {
        super(Kind.CONFIGURATION, message);
    }

    public KeyPoolException(String message, Throwable cause) {
        super(Kind.CONFIGURATION, message, cause);
    }
}
