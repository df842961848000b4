package dev.keyline.output;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
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

    static void writeMagic(DataOutputStream out) throws IOException {
        out.write(MAGIC);
    }

    static void write(DataOutputStream out, Row row) throws IOException {
        out.writeShort(row.deviceId().length);
        out.write(row.deviceId());
        writeBytes(out, row.csv());
        writeBytes(out, row.json());
        writeBytes(out, row.sums());
        out.writeByte(row.summaryKey() == null ? 0 : 1);
        writeBytes(out, row.summaryKey() == null ? new byte[0] : row.summaryKey());
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** Reads a file's rows in order. */
    static final class Reader implements Closeable {

        private static final int MAX_FIELD = 1 << 20;

        private final Path file;
        private final DataInputStream in;

        Reader(Path file) throws IOException {
            this.file = file;
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            byte[] magic = new byte[MAGIC.length];
            try {
                in.readFully(magic);
            } catch (EOFException e) {
                magic = new byte[0];
            }
            if (!Arrays.equals(magic, MAGIC)) {
                in.close();
                throw new DamagedRowsFileException(file, "it does not start like a manifest row file");
            }
        }

        /** @return the next row, or null at the end of the file */
        Row next() throws IOException {
            int idLength = in.read();
            if (idLength < 0) {
                return null;
            }
            try {
                byte[] id = new byte[(idLength << 8) | in.readUnsignedByte()];
                in.readFully(id);
                byte[] csv = readBytes();
                byte[] json = readBytes();
                byte[] sums = readBytes();
                boolean counted = in.readUnsignedByte() == 1;
                byte[] key = readBytes();
                return new Row(id, csv, json, sums, counted ? key : null);
            } catch (EOFException e) {
                throw new DamagedRowsFileException(file, "it ends inside a row");
            }
        }

        private byte[] readBytes() throws IOException {
            int length = in.readInt();
            if (length < 0 || length > MAX_FIELD) {
                throw new DamagedRowsFileException(file, "a field claims " + length + " bytes");
            }
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            return bytes;
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
