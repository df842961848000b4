package dev.keyline.device;

import java.io.IOException;
import java.io.Reader;

/**
 * A window of characters over a Reader, refilled in bulk, for the tokenizers to scan with plain array access;
 * the hot loops stay free of a call per character.
 */
abstract class TextBuffer {

    private final Reader in;
    protected final char[] buffer = new char[1 << 16];
    protected int pos;
    protected int limit;
    private boolean eof;

    protected TextBuffer(Reader in) {
        this.in = in;
    }

    /** Refills the window; false at the end of the text. What lies before {@code pos} is gone. */
    protected final boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        pos = 0;
        if (n < 0) {
            eof = true;
            limit = 0;
            return false;
        }
        limit = n;
        return true;
    }
}
