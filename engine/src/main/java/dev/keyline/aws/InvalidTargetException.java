package dev.keyline.aws;

/**
 * A registration target's configuration cannot be used. The message names the setting
 * ({@code keyline.targets.<name>.<key>}) and the fix; nothing has been called when it is thrown.
 */
public final class InvalidTargetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidTargetException(String message) {
        super(message);
    }

    public InvalidTargetException(String message, Throwable cause) {
        super(message, cause);
    }
}
