package dev.keyline.hsm;

/** The selected slot holds a token that has not been initialised (no label, no user PIN). */
public final class TokenNotInitialisedException extends HsmException {

    public TokenNotInitialisedException(String message) {
        super(message);
    }

    public TokenNotInitialisedException(String message, Throwable cause) {
        super(message, cause);
    }
}
