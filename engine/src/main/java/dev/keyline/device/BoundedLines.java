package dev.keyline.device;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads text line by line (LF, CRLF or a lone CR), keeping at most a bound of each line: a longer line is read to
 * its end but not kept, so one runaway line cannot take the heap ({@link java.io.BufferedReader#readLine} keeps
 * it whole).
 */
final class BoundedLines extends TextBuffer {

    /**
     * One line.
     *
     * @param text   the line without its break, or null when it was longer than the bound
     * @param number 1-based line number
     * @param length the line's length in characters
     */
    record Line(String text, long number, long length) {

        boolean tooLong() {
            return text == null;
        }
    }

    private final int maxChars;
    private final StringBuilder kept = new StringBuilder();
    private long number;

    BoundedLines(Reader in, int maxChars) {
        super(in);
        this.maxChars = maxChars;
    }

    /** The next line, or null at the end of the text. */
    Line next() throws IOException {
        if (pos == limit && !fill()) {
            return null;
        }
        kept.setLength(0);
        long length = 0;
        while (true) {
            if (pos == limit && !fill()) {
                break;
            }
            int start = pos;
            char c = 0;
            while (pos < limit && (c = buffer[pos]) != '\n' && c != '\r') {
                pos++;
            }
            int run = pos - start;
            if (length + run <= maxChars) {
                kept.append(buffer, start, run);
            } else if (length <= maxChars) {
                kept.setLength(0);
                kept.trimToSize();
            }
            length += run;
            if (pos < limit) {
                pos++;
                if (c == '\r' && (pos < limit || fill()) && buffer[pos] == '\n') {
                    pos++;
                }
                break;
            }
        }
        number++;
        return new Line(length <= maxChars ? kept.toString() : null, number, length);
    }

    /** Lines read so far. */
    long linesRead() {
        return number;
    }
}
