package dev.keyline.device;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits RFC 4180 CSV text into rows, one at a time, with a bound on a row's length that holds while the text
 * streams: a longer row is read to its end, but no more than the bound is kept.
 *
 * <p>Why not Commons CSV, which the reader used before: it buffers a value whole however long it grows (a quote
 * left open takes the rest of the file into memory, and a 1 GB line needs gigabytes of heap), and after a broken
 * quote it throws with its state undefined, so one bad row ended the whole run. Here a broken row is a row with a
 * defect, and the rows after it are read as usual.
 *
 * <p>The grammar is Commons CSV's RFC 4180 format, so manifests that read before read the same: a value is quoted
 * only when its first character is a quote; inside, a doubled quote is one quote and line breaks are kept; a quote
 * inside an unquoted value is an ordinary character; blanks between a closing quote and the next comma are dropped.
 * Lines end with LF, CRLF or a lone CR (old Mac exports), and each counts as one line. Characters are scanned in bulk
 * runs up to the next delimiter, quote or line break.
 */
final class CsvTokenizer extends TextBuffer {

    /**
     * One row as split.
     *
     * @param values        the row's values, empty when the row was too long to keep
     * @param firstLine     the line where the row starts (1-based)
     * @param lastLine      the line where it ends
     * @param quoteOpenedOn the line where a quoted value that spans several lines opened, or -1: a hint when the
     *                      row turns out to have the wrong number of values
     * @param defect        why the row cannot be read, or null
     */
    record Row(List<String> values, long firstLine, long lastLine, long quoteOpenedOn, String defect) {

        boolean blank() {
            return defect == null && values.size() == 1 && values.get(0).isBlank();
        }
    }

    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    private static final int AFTER_QUOTE = 3;
    /** Blanks after a closing quote: only more blanks, a comma or a line break may follow. */
    private static final int AFTER_VALUE = 4;

    private final int maxRowChars;
    private final StringBuilder value = new StringBuilder();
    /** Line of the next character. */
    private long line = 1;
    /** Whether the last character consumed ended a line. */
    private boolean atLineStart = true;

    // per row
    private long rowChars;
    private boolean tooLong;

    CsvTokenizer(Reader in, int maxRowChars) {
        super(in);
        this.maxRowChars = maxRowChars;
    }

    /** The next row, or null at the end of the text. */
    Row next() throws IOException {
        if (pos == limit && !fill()) {
            return null;
        }
        long firstLine = line;
        List<String> values = new ArrayList<>();
        value.setLength(0);
        rowChars = 0;
        tooLong = false;
        String defect = null;
        long openedOn = -1;
        long spanningQuote = -1;
        int state = FIELD_START;
        while (true) {
            if (pos == limit && !fill()) {
                if (state == QUOTED) {
                    long last = atLineStart ? line - 1 : line;
                    defect = "a quoted value opened on line " + openedOn + " is never closed; lines " + openedOn + "-"
                            + last + " were read as one value: close the quote (a quote inside a quoted value is "
                            + "written twice: \"\")";
                }
                endValue(values);
                return row(values, firstLine, atLineStart ? line - 1 : line, spanningQuote, defect);
            }
            char c = buffer[pos];
            switch (state) {
                case FIELD_START -> {
                    if (c == '"') {
                        pos++;
                        count(1);
                        openedOn = line;
                        atLineStart = false;
                        state = QUOTED;
                    } else {
                        state = UNQUOTED;
                    }
                }
                case UNQUOTED -> {
                    int start = pos;
                    while (pos < limit && (c = buffer[pos]) != ',' && c != '\n' && c != '\r') {
                        pos++;
                    }
                    take(start);
                    if (pos < limit) {
                        if (c == ',') {
                            pos++;
                            count(1);
                            endValue(values);
                            state = FIELD_START;
                        } else {
                            long last = line;
                            lineBreak(false);
                            endValue(values);
                            return row(values, firstLine, last, spanningQuote, defect);
                        }
                    }
                }
                case QUOTED -> {
                    int start = pos;
                    while (pos < limit && (c = buffer[pos]) != '"' && c != '\n' && c != '\r') {
                        pos++;
                    }
                    take(start);
                    if (pos < limit) {
                        if (c == '"') {
                            pos++;
                            count(1);
                            state = AFTER_QUOTE;
                        } else {
                            lineBreak(true);
                        }
                    }
                }
                default -> { // AFTER_QUOTE or AFTER_VALUE: the value is closed, unless a second quote follows at once
                    if (openedOn < line) {
                        spanningQuote = openedOn;
                    }
                    if (c == '"' && state == AFTER_QUOTE) {
                        pos++;
                        count(1);
                        keep('"');
                        state = QUOTED;
                    } else if (c == ',') {
                        pos++;
                        count(1);
                        endValue(values);
                        state = FIELD_START;
                    } else if (c == '\n' || c == '\r') {
                        long last = line;
                        lineBreak(false);
                        endValue(values);
                        return row(values, firstLine, last, spanningQuote, defect);
                    } else if (Character.isWhitespace(c)) {
                        // Blanks between a closing quote and the comma are dropped, as Commons CSV does.
                        pos++;
                        count(1);
                        state = AFTER_VALUE;
                    } else {
                        if (defect == null) {
                            defect = afterClosingQuote(openedOn, line, c);
                        }
                        // Read on as an unquoted value to the next comma or line end: that is where the row resyncs.
                        state = UNQUOTED;
                    }
                }
            }
        }
    }

    private Row row(List<String> values, long firstLine, long lastLine, long spanningQuote, String defect) {
        if (tooLong && defect == null) {
            defect = "the row is longer than " + String.format("%,d", maxRowChars) + " characters (lines " + firstLine
                    + "-" + lastLine + "; a certificate request in PEM is about 2,000): a quote left open, or not a "
                    + "manifest? Shorten the row or fix its quoting";
        }
        return new Row(tooLong ? List.of() : values, firstLine, lastLine, spanningQuote, defect);
    }

    private static String afterClosingQuote(long openedOn, long line, char c) {
        String what = Character.isISOControl(c) ? String.format("U+%04X", (int) c) : "'" + c + "'";
        if (openedOn == line) {
            return "on line " + line + " a quoted value is followed by " + what + " after its closing quote: a quote "
                    + "inside a quoted value is written twice (\"\"), and a quoted value ends at a comma or the line's end";
        }
        return "a quoted value opened on line " + openedOn + " runs to line " + line + " and is followed there by "
                + what + "; lines " + openedOn + "-" + line + " were read as one value: close the quote on line "
                + openedOn + " (a quote inside a quoted value is written twice: \"\")";
    }

    /** Keeps the run {@code [start, pos)} of the current value, within the bound. */
    private void take(int start) {
        int length = pos - start;
        if (length == 0) {
            return;
        }
        atLineStart = false;
        if (count(length)) {
            value.append(buffer, start, length);
        }
    }

    private void keep(char c) {
        if (!tooLong) {
            value.append(c);
        }
    }

    /** Adds to the row's length; false once the row is over the bound (its text is then dropped). */
    private boolean count(int chars) {
        rowChars += chars;
        if (!tooLong && rowChars > maxRowChars) {
            tooLong = true;
            value.setLength(0);
            value.trimToSize();
        }
        return !tooLong;
    }

    private void endValue(List<String> values) {
        if (!tooLong) {
            values.add(value.toString());
        }
        value.setLength(0);
    }

    /** Consumes LF, CR or CRLF at {@code pos}; inside a quoted value the break is part of the value. */
    private void lineBreak(boolean keep) throws IOException {
        char c = buffer[pos++];
        boolean crlf = false;
        if (c == '\r' && (pos < limit || fill()) && buffer[pos] == '\n') {
            pos++;
            crlf = true;
        }
        if (keep) {
            int length = crlf ? 2 : 1;
            if (count(length)) {
                value.append(crlf ? "\r\n" : String.valueOf(c));
            }
        }
        line++;
        atLineStart = true;
    }

    /** The last line read whole, for a reason when the text cannot be read further. */
    long linesRead() {
        return line - 1;
    }
}
