package dev.keyline.text;

/**
 * Text that came from outside (a manifest, a certificate, a template, an answer from AWS) made safe to show to a
 * person: a terminal or an editor must display it, never obey it. Every character that controls instead of
 * printing is written as <code>&#92;u001B</code> (a backslash, {@code u}, four upper-case hex digits): C0 controls
 * (U+0000-U+001F, so also line feed, carriage return and tab: a value cannot start a line of its own or overwrite
 * one), DEL (U+007F), C1 controls (U+0080-U+009F; U+009B is a one-byte CSI on some terminals), and the Unicode
 * bidirectional controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), which reorder what a reader sees.
 * Half of a surrogate pair is escaped too: it is no character, and a UTF-8 file or console cannot hold it.
 *
 * <p>The escaping is reversible: a backslash is itself escaped (<code>&#92;u005C</code>) where it begins <code>&#92;u</code>, so
 * every <code>&#92;uXXXX</code> in the result is an escape and every other backslash is the value's own. Other backslashes
 * stay as they are on purpose: subject names such as {@code CN=thing\C=US} are what Keyline explains, and must stay
 * readable.
 */
public final class InertText {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private InertText() {
    }

    /** @return the text with every control, bidirectional control and <code>&#92;u</code> escaped; null stays null */
    public static String of(String text) {
        if (text == null) {
            return null;
        }
        int first = firstToEscape(text, false);
        return first < 0 ? text : escape(text, first, false);
    }

    /**
     * The same, except that line feeds stay: for a line stream that writes text the program composed, whose line
     * breaks are its own (the console's print calls; values inside one call are still escaped: see
     * {@code InertPrintStream}).
     */
    public static String keepingLineFeeds(String text) {
        if (text == null) {
            return null;
        }
        int first = firstToEscape(text, true);
        return first < 0 ? text : escape(text, first, true);
    }

    /**
     * Whether a character controls a display instead of printing: C0, DEL, C1, and the bidirectional controls.
     */
    public static boolean isControl(int c) {
        return c < 0x20 || c >= 0x7F && c <= 0x9F || isBidiControl(c);
    }

    /** U+061C ARABIC LETTER MARK, U+200E/U+200F, U+202A-U+202E (embeddings, overrides), U+2066-U+2069 (isolates). */
    public static boolean isBidiControl(int c) {
        return c == 0x061C || c == 0x200E || c == 0x200F || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069;
    }

    /** Undoes {@link #of}: for a consumer (or a test) that needs the value back. */
    public static String restore(String inert) {
        StringBuilder b = new StringBuilder(inert.length());
        for (int i = 0; i < inert.length(); i++) {
            char c = inert.charAt(i);
            if (c == '\\' && i + 1 < inert.length() && inert.charAt(i + 1) == 'u' && isHex(inert, i + 2)) {
                b.append((char) Integer.parseInt(inert.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isHex(String s, int from) {
        if (from + 4 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 4; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static int firstToEscape(String text, boolean keepLineFeeds) {
        for (int i = 0; i < text.length(); i++) {
            if (needsEscape(text, i, keepLineFeeds)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean needsEscape(String text, int i, boolean keepLineFeeds) {
        char c = text.charAt(i);
        if (c == '\\') {
            return i + 1 < text.length() && text.charAt(i + 1) == 'u';
        }
        return isControl(c) && !(keepLineFeeds && c == '\n') || unpairedSurrogate(text, i);
    }

    /**
     * Half of a surrogate pair: not a character, and no UTF-8 writer can encode it (a parser's reason quoting one
     * char of an emoji holds one). Escaped like a control, it prints, and {@link #restore} gives it back.
     */
    private static boolean unpairedSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
    }

    private static String escape(String text, int first, boolean keepLineFeeds) {
        StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (needsEscape(text, i, keepLineFeeds)) {
                b.append('\\').append('u').append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                        .append(HEX[c & 0xF]);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
