package dev.keyline.x509;

/** A subject alternative name Keyline refuses; the message names the kind, the value and the fix. */
public class InvalidAltNameException extends IllegalArgumentException {

    private final String kind;
    private final String value;

    public InvalidAltNameException(String message, String kind, String value) {
        super(message);
        this.kind = kind;
        this.value = value;
    }

    /** {@code DNS}, {@code URI} or {@code IP}. */
    public String kind() {
        return kind;
    }

    public String value() {
        return value;
    }
}
