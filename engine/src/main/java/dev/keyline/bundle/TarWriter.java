package dev.keyline.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes the tar stream of a chunk archive: folders, regular files and hard links, byte for byte what commons-compress's
 * {@code TarArchiveOutputStream} writes with PAX headers for long names and big numbers and 512-byte blocks (the
 * archives' format before this class, which {@code TarWriterEquivalenceTest} holds it to).
 *
 * <p>Why not that stream: it formats every header field through a charset encoder and writes each 512-byte record
 * separately to the layers below it (digest, buffer); in the archive layout that was 18% of a worker's time in Java,
 * under the first JIT tier that short runs use (docs/startup.md). Here an entry whose plain ustar header holds it (an
 * ASCII name and link name under 100 bytes, the size and time in 11 octal digits: every entry of a device id Keyline
 * accepts) is formatted in place from a template header; any other entry is handed to commons-compress on its own,
 * which gives the same bytes as in a whole stream, because an entry's records depend only on that entry with a block
 * of one record.
 *
 * <p>A device's entries are collected with {@link #folder}, {@link #file} and {@link #link} and go to the output in one
 * write at {@link #flushTo}; {@link #finish} writes the end of the archive (two zero records). Not thread-safe.
 */
final class TarWriter {

    static final int RECORD = 512;
    private static final int NAME_LENGTH = 100;
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final byte[] TEMPLATE = template();
    private static final long TEMPLATE_SUM = sum(TEMPLATE, 0, RECORD);

    private byte[] buffer = new byte[8 * RECORD];
    private int length;

    /** A folder entry; {@code name} ends with {@code /}. */
    void folder(String name, int mode, long modifiedSeconds) throws IOException {
        entry(name, null, TarConstants.LF_DIR, mode, modifiedSeconds, null);
    }

    /** A regular file and its bytes. */
    void file(String name, int mode, long modifiedSeconds, byte[] content) throws IOException {
        entry(name, null, TarConstants.LF_NORMAL, mode, modifiedSeconds, content);
    }

    /** A hard link to an earlier entry of the same archive. */
    void link(String name, String target, int mode, long modifiedSeconds) throws IOException {
        entry(name, target, TarConstants.LF_LINK, mode, modifiedSeconds, null);
    }

    /** Writes what the entries since the last call made to {@code out}, in one write, and clears them. */
    void flushTo(OutputStream out) throws IOException {
        out.write(buffer, 0, length);
        length = 0;
    }

    /** The collected bytes since the last {@link #flushTo}, not copied: valid until the next call. */
    byte[] pending() {
        return buffer;
    }

    int pendingLength() {
        return length;
    }

    /** Adds the end of the archive, two zero records (commons-compress pads to no larger block). */
    void finish() {
        int at = reserve(2 * RECORD);
        Arrays.fill(buffer, at, at + 2 * RECORD, (byte) 0);
    }

    private void entry(String name, String linkName, byte type, int mode, long modifiedSeconds, byte[] content)
            throws IOException {
        long size = content == null ? 0 : content.length;
        byte[] nameBytes = plainName(name);
        byte[] linkBytes = linkName == null ? null : plainName(linkName);
        if (nameBytes == null || (linkName != null && linkBytes == null) || modifiedSeconds < 0
                || modifiedSeconds > MAX_OCTAL_11 || mode < 0 || mode > 07777777) {
            viaCommonsCompress(name, linkName, type, mode, modifiedSeconds, content);
            return;
        }
        int at = reserve(RECORD + padded(size));
        System.arraycopy(TEMPLATE, 0, buffer, at, RECORD);
        System.arraycopy(nameBytes, 0, buffer, at, nameBytes.length);
        octal(mode, buffer, at + 100, 7);
        octal(size, buffer, at + 124, 11);
        octal(modifiedSeconds, buffer, at + 136, 11);
        buffer[at + 156] = type;
        if (linkBytes != null) {
            System.arraycopy(linkBytes, 0, buffer, at + 157, linkBytes.length);
        }
        // The template's bytes sum to a constant and everything written over it was zero there: add what was written.
        long sum = TEMPLATE_SUM + sum(nameBytes) + sum(buffer, at + 100, 7) + sum(buffer, at + 124, 11)
                + sum(buffer, at + 136, 11) + (type & 0xff) + (linkBytes == null ? 0 : sum(linkBytes));
        octal(sum, buffer, at + 148, 6);
        buffer[at + 154] = 0;
        buffer[at + 155] = ' ';
        if (content != null) {
            System.arraycopy(content, 0, buffer, at + RECORD, content.length);
            Arrays.fill(buffer, at + RECORD + content.length, at + RECORD + padded(size), (byte) 0);
        }
    }

    /**
     * The name's bytes when a plain header holds it as commons-compress would write it (ASCII, under 100 bytes, not
     * absolute: it strips a leading {@code /}), else null.
     */
    private static byte[] plainName(String name) {
        int n = name.length();
        if (n == 0 || n >= NAME_LENGTH || name.charAt(0) == '/') {
            return null;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c == 0 || c > 0x7f) {
                return null;
            }
        }
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    /** An entry a plain header cannot hold, as commons-compress writes it (with its PAX header), copied in. */
    private void viaCommonsCompress(String name, String linkName, byte type, int mode, long modifiedSeconds,
                                    byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 * RECORD);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        TarArchiveEntry entry = new TarArchiveEntry(name, type);
        if (linkName != null) {
            entry.setLinkName(linkName);
        }
        entry.setMode(mode);
        entry.setModTime(modifiedSeconds * 1000);
        if (content != null) {
            entry.setSize(content.length);
        }
        tar.putArchiveEntry(entry);
        if (content != null) {
            tar.write(content);
        }
        tar.closeArchiveEntry();
        tar.flush(); // not finish(): no end-of-archive records, those come once, at the end of the chunk
        byte[] records = bytes.toByteArray();
        int at = reserve(records.length);
        System.arraycopy(records, 0, buffer, at, records.length);
    }

    private int reserve(long bytes) {
        int at = length;
        long needed = at + bytes;
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.max(needed, 2L * buffer.length));
        }
        length = (int) needed;
        return at;
    }

    private static long sum(byte[] bytes) {
        return sum(bytes, 0, bytes.length);
    }

    private static long sum(byte[] bytes, int from, int length) {
        long sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += bytes[i] & 0xff;
        }
        return sum;
    }

    private static int padded(long size) {
        return (int) ((size + RECORD - 1) / RECORD * RECORD);
    }

    /** {@code digits} octal digits, zero-filled, at {@code at}; the byte after them is left as the template has it. */
    private static void octal(long value, byte[] into, int at, int digits) {
        long v = value;
        for (int i = at + digits - 1; i >= at; i--) {
            into[i] = (byte) ('0' + (v & 7));
            v >>>= 3;
        }
    }

    /**
     * The fields every plain header shares: uid, gid, devmajor and devminor 0 in commons-compress's form (seven
     * digits and a space), the terminating spaces of mode, size and time, the checksum as spaces while it is summed,
     * and the ustar magic and version.
     */
    private static byte[] template() {
        byte[] t = new byte[RECORD];
        byte[] zero7 = "0000000 ".getBytes(StandardCharsets.US_ASCII);
        t[107] = ' ';                         // mode[8]: 7 digits and a space
        System.arraycopy(zero7, 0, t, 108, 8); // uid
        System.arraycopy(zero7, 0, t, 116, 8); // gid
        t[135] = ' ';                         // size[12]: 11 digits and a space
        t[147] = ' ';                         // mtime[12]
        Arrays.fill(t, 148, 156, (byte) ' '); // chksum, as spaces while summing
        System.arraycopy(TarConstants.MAGIC_POSIX.getBytes(StandardCharsets.US_ASCII), 0, t, 257, 6);
        System.arraycopy(TarConstants.VERSION_POSIX.getBytes(StandardCharsets.US_ASCII), 0, t, 263, 2);
        System.arraycopy(zero7, 0, t, 329, 8); // devmajor
        System.arraycopy(zero7, 0, t, 337, 8); // devminor
        return t;
    }
}
