package dev.keyline.hsm;

/** No private key (with its certificate) under the requested label. */
public final class TokenKeyNotFoundException extends HsmException {

    public TokenKeyNotFoundException(String message) {
        super(message);
    }

    public TokenKeyNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
