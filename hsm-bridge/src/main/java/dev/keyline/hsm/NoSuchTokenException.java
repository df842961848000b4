package dev.keyline.hsm;

/** No slot or token matches `slot-index`, `slot-id` or `token-label`. */
public final class NoSuchTokenException extends HsmException {

    public NoSuchTokenException(String message) {
        super(message);
    }

    public NoSuchTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
