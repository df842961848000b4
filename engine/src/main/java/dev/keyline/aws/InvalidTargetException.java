package dev.keyline.aws;

import dev.keyline.error.KeylineException;

/**
 * A registration target's configuration cannot be used. The message names the setting
 * ({@code keyline.targets.<name>.<key>}) and the fix; nothing has been called when it is thrown.
 */
public final class InvalidTargetException extends KeylineException {

    private static final long serialVersionUID = 1L;

    public InvalidTargetException(String message) {
        super(Kind.CONFIGURATION, message);
    }

    public InvalidTargetException(String message, Throwable cause) {
        super(Kind.CONFIGURATION, message, cause);
    }
}
