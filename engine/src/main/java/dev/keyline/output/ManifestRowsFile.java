package dev.keyline.output;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The format of a manifest row file: the rows of the output manifest that one chunk issued, sorted by device id, each
 * already rendered the way the export writes it, so that merging them is copying bytes.
 * <pre>
 * "KLMR" 0x01                       magic and version
 * per row: u16 length + device id   (ASCII: [A-Za-z0-9:_-], so byte order is Java's String order)
 *          u32 length + CSV cells   of {@link ManifestRow#COLUMNS}, without the record separator
 *          u32 length + JSON        the row's object without its closing brace
 *          u32 length + sums        its bundle files' SHA256SUMS lines (none for the archive layout)
 *          u8 0|1 + u32 length + accounts   1: counted in the registration summary under these accounts
 * </pre>
 * Every text is UTF-8.
 */
final class ManifestRowsFile {

    static final String EXTENSION = ".rows";
    private static final byte[] MAGIC = {'K', 'L', 'M', 'R', 1};
    private static final byte[] EMPTY = new byte[0];

    private ManifestRowsFile() {
    }

    /**
     * One row.
     *
     * @param summaryKey the accounts under which the registration summary counts the identity; null: not counted
     */
    record Row(byte[] deviceId, byte[] csv, byte[] json, byte[] sums, byte[] summaryKey) {

        int compareTo(Row other) {
            return Arrays.compareUnsigned(deviceId, other.deviceId);
        }
    }

    /**
     * Writes a row file. Its own buffer, not a {@code DataOutputStream} over a {@code BufferedOutputStream}: those take
     * a lock for every byte of a length and every field, some twenty per row, on the issuing worker's path and in the
     * export's merge.
     */
    static final class Writer implements Closeable {

        private final OutputStream out;
        private final byte[] buffer = new byte[1 << 16];
        private int count;

        /** Creates (or truncates) {@code file} and writes the format's magic. */
        Writer(Path file) throws IOException {
            this.out = Files.newOutputStream(file);
            put(MAGIC, 0, MAGIC.length);
        }

        void write(Row row) throws IOException {
            byte[] id = row.deviceId();
            room(2);
            buffer[count++] = (byte) (id.length >>> 8);
            buffer[count++] = (byte) id.length;
            put(id, 0, id.length);
            field(row.csv());
            field(row.json());
            field(row.sums());
            room(1);
            buffer[count++] = (byte) (row.summaryKey() == null ? 0 : 1);
            field(row.summaryKey() == null ? EMPTY : row.summaryKey());
        }

        private void field(byte[] bytes) throws IOException {
            room(4);
            int n = bytes.length;
            buffer[count++] = (byte) (n >>> 24);
            buffer[count++] = (byte) (n >>> 16);
            buffer[count++] = (byte) (n >>> 8);
            buffer[count++] = (byte) n;
            put(bytes, 0, n);
        }

        private void room(int n) throws IOException {
            if (buffer.length - count < n) {
                drain();
            }
        }

        private void put(byte[] bytes, int offset, int length) throws IOException {
            if (length > buffer.length - count) {
                drain();
                if (length > buffer.length) {
                    out.write(bytes, offset, length);
                    return;
                }
            }
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        }

        private void drain() throws IOException {
            out.write(buffer, 0, count);
            count = 0;
        }

        @Override
        public void close() throws IOException {
            try (out) {
                drain();
            }
        }
    }

    /** Reads a file's rows in order, with a buffer of its own (see {@link Writer}). */
    static final class Reader implements Closeable {

        private static final int MAX_FIELD = 1 << 20;

        private final Path file;
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;

        Reader(Path file) throws IOException {
            this.file = file;
            this.in = Files.newInputStream(file);
            boolean magic;
            try {
                magic = Arrays.equals(bytes(MAGIC.length), MAGIC);
            } catch (EOFException e) {
                magic = false;
            } catch (IOException | RuntimeException e) {
                in.close();
                throw e;
            }
            if (!magic) {
                in.close();
                throw new DamagedRowsFileException(file, "it does not start like a manifest row file");
            }
        }

        /** @return the next row, or null at the end of the file */
        Row next() throws IOException {
            if (position == limit && !fill()) {
                return null;
            }
            try {
                byte[] id = bytes((u8() << 8) | u8());
                byte[] csv = field();
                byte[] json = field();
                byte[] sums = field();
                boolean counted = u8() == 1;
                byte[] key = field();
                return new Row(id, csv, json, sums, counted ? key : null);
            } catch (EOFException e) {
                throw new DamagedRowsFileException(file, "it ends inside a row");
            }
        }

        private byte[] field() throws IOException {
            int length = (u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
            if (length < 0 || length > MAX_FIELD) {
                throw new DamagedRowsFileException(file, "a field claims " + length + " bytes");
            }
            return bytes(length);
        }

        private int u8() throws IOException {
            if (position == limit && !fill()) {
                throw new EOFException();
            }
            return buffer[position++] & 0xff;
        }

        private byte[] bytes(int length) throws IOException {
            if (length == 0) {
                return EMPTY;
            }
            byte[] bytes = new byte[length];
            int copied = 0;
            while (copied < length) {
                if (position == limit && !fill()) {
                    throw new EOFException();
                }
                int n = Math.min(length - copied, limit - position);
                System.arraycopy(buffer, position, bytes, copied, n);
                position += n;
                copied += n;
            }
            return bytes;
        }

        /** @return false at the end of the file */
        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A row file that cannot be read as written: the export goes back to the ledger. */
    static final class DamagedRowsFileException extends IOException {
        DamagedRowsFileException(Path file, String why) {
            super("the manifest row file " + file + " is damaged: " + why);
        }
    }
}
