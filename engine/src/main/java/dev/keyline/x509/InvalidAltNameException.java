package dev.keyline.x509;

import dev.keyline.error.KeylineException;

/** A subject alternative name Keyline refuses; the message names the kind, the value and the fix. */
public class InvalidAltNameException extends KeylineException {

    private final String kind;
    private final String value;

    public InvalidAltNameException(String message, String kind, String value) {
        super(Kind.REJECTED_INPUT, message);
        this.kind = kind;
        this.value = value;
    }

    /** The kind of name: {@code DNS}, {@code URI} or {@code IP}. */
    public String nameType() {
        return kind;
    }

    public String value() {
        return value;
    }
}
