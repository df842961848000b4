package dev.keyline.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * RFC 4180 CSV with a header row; LF, CRLF or CR; blank lines ignored; values stripped of surrounding blanks.
 * A row that cannot be read (a quote left open, a value after a closing quote, too long, the wrong number of
 * values) is a defective row, rejected with its line; the rows after it are read as usual.
 */
final class CsvManifestReader implements ManifestReader {

    private final Path manifest;
    private final ManifestInput input;
    private final CsvTokenizer rows;
    private final List<String> header;
    private long index;

    CsvManifestReader(Path manifest, ManifestInput input) {
        this.manifest = manifest;
        this.input = input;
        this.rows = new CsvTokenizer(input.reader(), MAX_ROW_CHARS);
        this.header = readHeader();
    }

    private List<String> readHeader() {
        while (true) {
            CsvTokenizer.Row first = nextRow();
            if (first == null) {
                throw new ManifestException(manifest, "empty manifest: the first line must be a header naming the columns, "
                        + "at least " + ManifestColumns.DEVICE_ID);
            }
            if (first.blank()) {
                continue;
            }
            long line = first.firstLine();
            if (first.defect() != null) {
                throw new ManifestException(manifest, "line " + line + ": the header cannot be read: " + first.defect());
            }
            List<String> names = new ArrayList<>(first.values().size());
            for (String raw : first.values()) {
                String name = raw.strip();
                if (ManifestReader.hasUndecodable(name)) {
                    throw new ManifestException(manifest, "line " + line + ": the header is not valid "
                            + input.charset().name() + "; save the manifest as UTF-8");
                }
                if (name.indexOf('\t') >= 0) {
                    throw new ManifestException(manifest, "line " + line + ": the header's columns are separated by tabs, "
                            + "not commas (Excel's \"Unicode Text\" export?): save it as \"CSV UTF-8 (Comma delimited)\"");
                }
                if (!ManifestColumns.isKnown(name)) {
                    throw new ManifestException(manifest, "line " + line + ": " + ManifestColumns.unknown("column", name));
                }
                if (names.contains(name)) {
                    throw new ManifestException(manifest, "line " + line + ": column '" + name + "' appears twice in the header");
                }
                names.add(name);
            }
            if (!names.contains(ManifestColumns.DEVICE_ID)) {
                throw new ManifestException(manifest, "line " + line + ": the header has no " + ManifestColumns.DEVICE_ID
                        + " column; it is required");
            }
            return List.copyOf(names);
        }
    }

    public List<String> header() {
        return header;
    }

    @Override
    public ManifestRecord next() {
        while (true) {
            CsvTokenizer.Row row = nextRow();
            if (row == null) {
                return null;
            }
            if (row.blank()) {
                continue;
            }
            return record(index++, row);
        }
    }

    private ManifestRecord record(long rowIndex, CsvTokenizer.Row row) {
        long line = row.firstLine();
        String[] values = new String[header.size()];
        String defect = read(row, values);
        if (defect != null) {
            return ManifestRecord.defective(rowIndex, line, defect);
        }
        Map<String, String> fields = new LinkedHashMap<>(header.size() * 2);
        for (int i = 0; i < values.length; i++) {
            if (!values[i].isEmpty()) {
                fields.put(header.get(i), values[i]);
            }
        }
        return new ManifestRecord(rowIndex, line, fields, null);
    }

    /**
     * Puts the row's values, as a record keeps them, into {@code values} (one per header column) and returns why the row
     * is rejected as it stands, or null: the checks {@link #record} makes, shared with {@link #forEachRawDeviceId},
     * which must find the same rows defective.
     */
    private String read(CsvTokenizer.Row row, String[] values) {
        if (row.defect() != null) {
            return row.defect();
        }
        List<String> raw = row.values();
        if (raw.size() != header.size()) {
            String hint = row.quoteOpenedOn() > 0
                    ? " (a quoted value opened on line " + row.quoteOpenedOn() + " runs to line " + row.lastLine()
                            + ": is its closing quote missing?)"
                    : " (a missing or extra comma, or an unquoted comma in a value?)";
            return "the row has " + raw.size() + " fields but the header has " + header.size() + hint;
        }
        boolean repeatsHeader = true;
        for (int i = 0; i < values.length; i++) {
            String value = value(raw, i);
            if (ManifestReader.hasUndecodable(value)) {
                return input.undecodable();
            }
            repeatsHeader &= value.equals(header.get(i));
            values[i] = value;
        }
        if (repeatsHeader) {
            return "the header line again, not a device (two exports joined into one file?): delete this line";
        }
        return null;
    }

    /** A row's value as the record holds it: stripped, and without a byte order mark starting the line. */
    private static String value(List<String> values, int i) {
        String value = values.get(i);
        if (i == 0 && !value.isEmpty() && value.charAt(0) == '\uFEFF') {
            // A byte order mark starting a line: two exports joined into one file. The mark is invisible and
            // means nothing inside the text, so it is dropped and the row read as it stands.
            value = value.substring(1);
        }
        return value.strip();
    }

    /**
     * Without building a record per row: the scan reads every row of a night's manifest before any device is issued,
     * and a record's two maps were half of that (JFR, 1,000,000 rows).
     */
    @Override
    public void forEachRawDeviceId(Consumer<String> ids) {
        int column = header.indexOf(ManifestColumns.DEVICE_ID);
        String[] values = new String[header.size()];
        for (CsvTokenizer.Row row = nextRow(); row != null; row = nextRow()) {
            if (row.blank()) {
                continue;
            }
            index++;
            boolean defective = read(row, values) != null;
            ids.accept(defective || values[column].isEmpty() ? null : values[column]);
        }
    }

    @Override
    public boolean skipOne() {
        // A row counts whether or not it is defective, as in next(); only blank lines do not.
        for (CsvTokenizer.Row row = nextRow(); row != null; row = nextRow()) {
            if (!row.blank()) {
                index++;
                return true;
            }
        }
        return false;
    }

    @Override
    public long position() {
        return index;
    }

    private CsvTokenizer.Row nextRow() {
        try {
            return rows.next();
        } catch (IOException e) {
            throw input.unreadable(manifest, rows.linesRead(), e);
        }
    }

    @Override
    public void close() {
        try {
            input.reader().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
