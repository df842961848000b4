package dev.keyline.output;

import dev.keyline.text.InertText;

/**
 * A CSV cell that holds untrusted text (a manifest's device id, a reason quoting manifest values), for files that
 * people {@code cat} and line operators open in a spreadsheet. Two rules, in this order:
 * <ol>
 * <li>{@link InertText}: control and bidirectional characters become <code>&#92;u001B</code>-style escapes;</li>
 * <li>formula neutralisation as OWASP recommends for CSV injection: a cell that starts with {@code =}, {@code +},
 * {@code -}, {@code @}, tab or carriage return gets a single quote {@code '} in front, so a spreadsheet shows it as
 * text instead of evaluating it ({@code =cmd|' /C calc'!A0}). A cell that already starts with {@code '} gets one
 * too, so the rule is undone without guessing: a cell that starts with {@code '} lost its first character.</li>
 * </ol>
 */
final class UntrustedCell {

    private UntrustedCell() {
    }

    static String of(String untrusted) {
        if (untrusted == null || untrusted.isEmpty()) {
            return "";
        }
        String inert = InertText.of(untrusted);
        return startsLikeAFormula(inert) ? "'" + inert : inert;
    }

    private static boolean startsLikeAFormula(String cell) {
        return switch (cell.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r', '\'' -> true;
            default -> false;
        };
    }
}
