package dev.keyline.lint;

import java.util.Objects;

/**
 * One problem found before signing (or in a certificate made elsewhere).
 *
 * @param severity error (the device would fail or is refused) or warning (advice; nothing is refused)
 * @param code     stable, machine-readable name of the rule, e.g. {@code subject.country-code}
 * @param field    what the finding is about: a subject attribute ({@code C}), a manifest column, a template
 *                 parameter or JSON path; null when it is about the whole row or file
 * @param value    the offending value as written; null when there is none (e.g. a missing attribute)
 * @param message  what is wrong, naming the field and the value, and for AWS problems the error AWS would answer
 * @param fix      what to do about it
 */
public record Finding(Severity severity, String code, String field, String value, String message, String fix) {

    public Finding {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        fix = fix == null ? "" : fix;
    }

    public static Finding error(String code, String field, String value, String message, String fix) {
        return new Finding(Severity.ERROR, code, field, value, message, fix);
    }

    public static Finding warning(String code, String field, String value, String message, String fix) {
        return new Finding(Severity.WARNING, code, field, value, message, fix);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** Message and fix in one sentence, as rejects.csv records it. */
    public String explain() {
        return fix.isEmpty() ? message : message + "; fix: " + fix;
    }
}
