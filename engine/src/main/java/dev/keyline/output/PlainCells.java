package dev.keyline.output;

/**
 * A manifest row's cells as CSV and JSON text without a CSV printer or a JSON generator, for the usual row whose every
 * cell is plain: printable ASCII from a set that neither RFC 4180 quoting (commons-csv's minimal quoting, as
 * {@link OutputExporter#CSV} prints) nor JSON escaping (Jackson's, as {@link JsonObjectText} writes) ever changes,
 * starting with a letter or digit. Device ids, thing names, hex, ISO-8601 instants, key ids and bundle paths are.
 * The printer and the generator were 9% of an issuing worker's Java time under C1 (JFR, 100,000 devices), most of it
 * their layers for text that needs none of them. Any other row goes through them as before;
 * {@code PlainCellsTest} holds the two to the same bytes.
 */
final class PlainCells {

    /** Letters and digits: what a plain cell starts with. */
    private static final boolean[] FIRST = new boolean[128];
    /** What follows: letters, digits and a few marks that neither format treats specially. */
    private static final boolean[] PLAIN = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            FIRST[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            PLAIN[c] = FIRST[c] || "-._:/+=@".indexOf(c) >= 0;
        }
    }

    private PlainCells() {
    }

    /** Whether every cell is plain: the first non-empty, each starting with a letter or digit, or empty after it. */
    static boolean all(String[] cells) {
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            if (cell.isEmpty()) {
                if (i == 0) {
                    return false; // an empty first value is printed quoted
                }
                continue;
            }
            char first = cell.charAt(0);
            if (first >= 128 || !FIRST[first]) {
                return false;
            }
            for (int j = 1; j < cell.length(); j++) {
                char c = cell.charAt(j);
                if (c >= 128 || !PLAIN[c]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The cells as one CSV record, without its record separator. Only for {@link #all plain} cells. */
    static byte[] csv(String[] cells) {
        int length = cells.length - 1;
        for (String cell : cells) {
            length += cell.length();
        }
        byte[] out = new byte[length];
        int at = 0;
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            at = ascii(cells[i], out, at);
        }
        return out;
    }

    /**
     * The cells as a JSON object's fields, {@code {"name":"value",...}} without its closing brace. Only for
     * {@link #all plain} cells and names.
     */
    static byte[] jsonWithoutClose(String[] names, String[] cells) {
        int length = 1 + Math.max(0, cells.length - 1);
        for (int i = 0; i < cells.length; i++) {
            length += names[i].length() + cells[i].length() + 5; // "name":"value"
        }
        byte[] out = new byte[length];
        int at = 0;
        out[at++] = '{';
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            out[at++] = '"';
            at = ascii(names[i], out, at);
            out[at++] = '"';
            out[at++] = ':';
            out[at++] = '"';
            at = ascii(cells[i], out, at);
            out[at++] = '"';
        }
        return out;
    }

    private static int ascii(String text, byte[] out, int at) {
        for (int i = 0; i < text.length(); i++) {
            out[at++] = (byte) text.charAt(i);
        }
        return at;
    }
}
