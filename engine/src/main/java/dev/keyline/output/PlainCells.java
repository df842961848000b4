package dev.keyline.output;

import java.nio.charset.StandardCharsets;

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

    /**
     * Each cell's octets when every cell is plain (the first non-empty, each starting with a letter or digit, or empty
     * after the first); else null. The cells are taken whole ({@code getBytes}, a copy of a Latin-1 string's array)
     * and checked as octets: a loop of {@code charAt} costs several times more under C1, where short runs execute.
     */
    static byte[][] asciiIfPlain(String[] cells) {
        byte[][] octets = new byte[cells.length][];
        for (int i = 0; i < cells.length; i++) {
            // a character outside Latin-1 becomes '?', which is not plain
            byte[] cell = cells[i].getBytes(StandardCharsets.ISO_8859_1);
            if (cell.length == 0) {
                if (i == 0) {
                    return null; // an empty first value is printed quoted
                }
            } else if (!plain(cell)) {
                return null;
            }
            octets[i] = cell;
        }
        return octets;
    }

    private static boolean plain(byte[] cell) {
        if (cell[0] < 0 || !FIRST[cell[0]]) {
            return false;
        }
        for (int j = 1; j < cell.length; j++) {
            byte c = cell[j];
            if (c < 0 || !PLAIN[c]) {
                return false;
            }
        }
        return true;
    }

    /** The cells as one CSV record, without its record separator. Only for {@link #asciiIfPlain plain} cells. */
    static byte[] csv(byte[][] cells) {
        int length = cells.length - 1;
        for (byte[] cell : cells) {
            length += cell.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            at = put(cells[i], out, at);
        }
        return out;
    }

    /**
     * The cells as a JSON object's fields, {@code {"name":"value",...}} without its closing brace. Only for
     * {@link #asciiIfPlain plain} cells and names.
     */
    static byte[] jsonWithoutClose(byte[][] names, byte[][] cells) {
        int length = 1 + Math.max(0, cells.length - 1);
        for (int i = 0; i < cells.length; i++) {
            length += names[i].length + cells[i].length + 5; // "name":"value"
        }
        byte[] out = new byte[length];
        int at = 0;
        out[at++] = '{';
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            out[at++] = '"';
            at = put(names[i], out, at);
            out[at++] = '"';
            out[at++] = ':';
            out[at++] = '"';
            at = put(cells[i], out, at);
            out[at++] = '"';
        }
        return out;
    }

    private static int put(byte[] octets, byte[] out, int at) {
        System.arraycopy(octets, 0, out, at, octets.length);
        return at + octets.length;
    }
}
