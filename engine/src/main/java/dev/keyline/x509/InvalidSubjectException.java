package dev.keyline.x509;

import java.util.Optional;

import dev.keyline.error.KeylineException;

/**
 * A subject name Keyline refuses. The message names the attribute, its value and the fix;
 * {@link #attributeName()} and {@link #value()} carry them for callers that report per field.
 */
public class InvalidSubjectException extends KeylineException {

    private final String attributeName;
    private final String value;

    /**
     * @param attributeName the attribute as written (may be null when the whole name is at fault)
     * @param value         the offending value or text (may be null)
     */
    public InvalidSubjectException(String message, String attributeName, String value) {
        super(Kind.REJECTED_INPUT, message);
        this.attributeName = attributeName;
        this.value = value;
    }

    /** The attribute as written, e.g. {@code CN} or an unknown name such as {@code SN}; null for the whole name. */
    public String attributeName() {
        return attributeName;
    }

    /** The attribute type, when the name was a known one. */
    public Optional<SubjectName.AttributeType> attribute() {
        return attributeName == null ? Optional.empty() : SubjectName.AttributeType.fromName(attributeName);
    }

    /** The refused value (or the refused text when the syntax is at fault); may be null. */
    public String value() {
        return value;
    }
}
