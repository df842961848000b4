package dev.keyline.lint;

/** How bad a {@link Finding} is: an error stops the device (lint exit 1, run rejects it); a warning is advice. */
public enum Severity {
    ERROR, WARNING;

    /** {@code error} or {@code warning}, as the text and JSON reports write it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
