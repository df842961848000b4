package dev.keyline.keys;

/** A key algorithm id that Keyline does not know; the message lists the valid ids. */
public final class UnknownKeyAlgorithmException extends IllegalArgumentException {

    private final String value;

    public UnknownKeyAlgorithmException(String value, String message) {
        super(message);
        this.value = value;
    }

    /** The id that was not recognised (may be null). */
    public String value() {
        return value;
    }
}
