package dev.keyline.testing;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How to build and damage one manifest: the rows it starts from, its shape (format, encoding, line ends, gzip) and
 * the mutations applied to it. A plain value, so that a failing case names it in full.
 *
 * @param format     CSV (with a header line) or JSON Lines
 * @param encoding   how the text becomes bytes
 * @param lineEnd    how every line ends before mutations
 * @param rows       the device rows, in file order
 * @param mutations  what is done to the rows' text and bytes, in order
 * @param cutPercent where the text is cut off, in percent of its bytes (null: not cut)
 * @param gzip       whether and how the file is gzipped
 * @param threads    the run's --threads
 * @param chunkSize  the run's --chunk-size
 */
public record ManifestDamage(Format format, Encoding encoding, LineEnd lineEnd, List<RowKind> rows,
                             List<Mutation> mutations, Integer cutPercent, Gzip gzip, int threads, int chunkSize) {

    public enum Format { CSV, JSONL }

    public enum Encoding { UTF8, UTF8_BOM, UTF16LE, UTF16LE_BOM, UTF16BE, UTF16BE_BOM }

    public enum LineEnd {
        LF("\n"), CRLF("\r\n"), CR("\r");

        final String text;

        LineEnd(String text) {
            this.text = text;
        }
    }

    /** What a row is before any mutation, and so what a run must do with it when no mutation reached it. */
    public enum RowKind {
        /** A valid device. */
        VALID,
        /** A valid device whose common name holds a comma, quoted in CSV. */
        VALID_QUOTED,
        /** A device id with a space: always rejected. */
        BAD_ID,
        /** No device id: always rejected. */
        NO_ID,
        /** The id of the nearest valid row before it: one of the two is rejected. */
        REPEATED_ID,
        /** An empty line: no row at all. */
        BLANK
    }

    public enum Gzip { NONE, GZIP, GZIP_CUT }

    /**
     * One change. Text kinds change the row's characters before encoding, byte kinds its encoded bytes.
     *
     * @param kind    what is done
     * @param row     which line (header included), modulo the number of lines
     * @param at      where in that line, modulo its length
     * @param payload which byte, character or bit, modulo the kind's choices
     */
    public record Mutation(Kind kind, int row, int at, int payload) {

        public enum Kind {
            INSERT_QUOTE, INSERT_COMMA, INSERT_LINE_BREAK, DELETE_CHAR, INSERT_CHAR, FLIP_BIT, INSERT_BYTES, DELETE_BYTE;

            boolean onBytes() {
                return this == FLIP_BIT || this == INSERT_BYTES || this == DELETE_BYTE;
            }
        }

        @Override
        public String toString() {
            return kind + "(line#" + row + " at " + at + " payload " + payload + ")";
        }
    }

    @Override
    public String toString() {
        return format + " " + encoding + " " + lineEnd + " " + gzip + (cutPercent == null ? "" : " cut@" + cutPercent + "%")
                + " --threads " + threads + " --chunk-size " + chunkSize + " rows=" + rows.stream()
                .map(k -> k.name().toLowerCase()).collect(Collectors.joining(",", "[", "]")) + " mutations=" + mutations;
    }
}
