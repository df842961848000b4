package dev.keyline.x509;

/**
 * Writes DER into an array of a size computed beforehand. Everything Keyline writes this way is assembled from
 * parts whose lengths are known first, so each length is written once, in its final form, and nothing is copied
 * twice (a growing buffer would have to shift contents once an outer length turned out to need more octets).
 *
 * <p>Lengths use DER's definite form: one octet below 128 (short form), else {@code 0x80 | n} then the length in
 * {@code n} big-endian octets with no leading zero (long form, X.690 8.1.3 and 10.1). Tags are one octet: every
 * tag a certificate needs is below 31. Not thread-safe; one per encoding.
 */
final class DerWriter {

    static final int BOOLEAN = 0x01;
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OBJECT_IDENTIFIER = 0x06;
    static final int UTC_TIME = 0x17;
    static final int GENERALIZED_TIME = 0x18;
    static final int SEQUENCE = 0x30;
    /** {@code [0] EXPLICIT}: constructed, context-specific 0 (a certificate's version). */
    static final int EXPLICIT_0 = 0xa0;
    /** {@code [3] EXPLICIT}: constructed, context-specific 3 (a certificate's extensions). */
    static final int EXPLICIT_3 = 0xa3;

    private final byte[] out;
    private int position;

    /** @param size the exact number of octets that will be written */
    DerWriter(int size) {
        this.out = new byte[size];
    }

    /** The number of octets a length takes: 1 in short form, 1 + its octets in long form. */
    static int lengthSize(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("a DER length cannot be negative: " + length);
        }
        if (length < 0x80) {
            return 1;
        }
        if (length <= 0xff) {
            return 2;
        }
        if (length <= 0xffff) {
            return 3;
        }
        return length <= 0xffffff ? 4 : 5;
    }

    /** The size of a whole element (tag, length, contents) whose contents take {@code contentLength} octets. */
    static int sizeOf(int contentLength) {
        return 1 + lengthSize(contentLength) + contentLength;
    }

    /** One element around contents already encoded. */
    static byte[] element(int tag, byte[] contents) {
        return new DerWriter(sizeOf(contents.length)).header(tag, contents.length).write(contents).finish();
    }

    /** Writes a tag and the length of the contents that follow. */
    DerWriter header(int tag, int contentLength) {
        out[position++] = (byte) tag;
        int size = lengthSize(contentLength);
        if (size == 1) {
            out[position++] = (byte) contentLength;
        } else {
            out[position++] = (byte) (0x80 | (size - 1));
            for (int shift = 8 * (size - 2); shift >= 0; shift -= 8) {
                out[position++] = (byte) (contentLength >>> shift);
            }
        }
        return this;
    }

    DerWriter write(int octet) {
        out[position++] = (byte) octet;
        return this;
    }

    DerWriter write(byte[] octets) {
        System.arraycopy(octets, 0, out, position, octets.length);
        position += octets.length;
        return this;
    }

    /**
     * The encoding.
     *
     * @throws IllegalStateException when fewer octets were written than the size given: a size computed wrong
     */
    byte[] finish() {
        if (position != out.length) {
            throw new IllegalStateException("DER size mismatch: " + position + " of " + out.length + " octets written");
        }
        return out;
    }
}
