package dev.keyline.x509;

/**
 * Reads DER element by element, strictly: one-octet tags, definite lengths in their shortest form, nothing running
 * past the end. Anything else, BER included, is refused with {@link NotDerException}, so what this reader accepts
 * is re-encoded unchanged by any DER encoder. Not thread-safe.
 */
final class DerReader {

    private final byte[] der;
    private final int end;
    private int position;

    DerReader(byte[] der) {
        this(der, 0, der.length);
    }

    private DerReader(byte[] der, int start, int end) {
        this.der = der;
        this.position = start;
        this.end = end;
    }

    boolean atEnd() {
        return position == end;
    }

    /** The tag of the next element, without reading it. */
    int peekTag() {
        if (position >= end) {
            throw new NotDerException("an element is missing at offset " + position);
        }
        return der[position] & 0xff;
    }

    /**
     * Reads the next element, which must have this tag, and moves past it.
     *
     * @return a reader over the element's contents
     */
    DerReader read(int tag) {
        int actual = peekTag();
        if (actual != tag) {
            throw new NotDerException(String.format("expected tag 0x%02x at offset %d, found 0x%02x", tag, position, actual));
        }
        return readAny();
    }

    /** Reads the next element, whatever its tag, and moves past it; see {@link #read(int)}. */
    DerReader readAny() {
        int tag = peekTag();
        if ((tag & 0x1f) == 0x1f) {
            throw new NotDerException("a multi-octet tag at offset " + position);
        }
        int at = position + 1;
        if (at >= end) {
            throw new NotDerException("the length is missing at offset " + at);
        }
        int first = der[at++] & 0xff;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int octets = first & 0x7f;
            if (octets == 0 || octets > 4) {
                throw new NotDerException("an indefinite or oversized length at offset " + (at - 1));
            }
            if (at + octets > end || der[at] == 0) {
                throw new NotDerException("a truncated or zero-padded length at offset " + (at - 1));
            }
            long value = 0;
            for (int i = 0; i < octets; i++) {
                value = (value << 8) | (der[at++] & 0xff);
            }
            if (value < 0x80 || value > Integer.MAX_VALUE) {
                throw new NotDerException("a length in long form that the short form holds at offset " + (at - 1 - octets));
            }
            length = (int) value;
        }
        if (length > end - at) {
            throw new NotDerException("an element at offset " + position + " runs past its end");
        }
        position = at + length;
        return new DerReader(der, at, position);
    }

    /** Offset of this reader's next element (or of its end) in the whole array. */
    int position() {
        return position;
    }

    int end() {
        return end;
    }

    /** The octet at {@code offset} of the whole array. */
    int octet(int offset) {
        return der[offset] & 0xff;
    }

    /** The input is not DER, or not the structure expected. */
    static final class NotDerException extends IllegalArgumentException {

        NotDerException(String message) {
            super(message);
        }
    }
}
