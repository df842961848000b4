package dev.keyline.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        if (row.defect() != null) {
            return ManifestRecord.defective(rowIndex, line, row.defect());
        }
        List<String> values = row.values();
        if (values.size() != header.size()) {
            String hint = row.quoteOpenedOn() > 0
                    ? " (a quoted value opened on line " + row.quoteOpenedOn() + " runs to line " + row.lastLine()
                            + ": is its closing quote missing?)"
                    : " (a missing or extra comma, or an unquoted comma in a value?)";
            return ManifestRecord.defective(rowIndex, line, "the row has " + values.size()
                    + " fields but the header has " + header.size() + hint);
        }
        Map<String, String> fields = new LinkedHashMap<>(header.size() * 2);
        boolean repeatsHeader = true;
        for (int i = 0; i < header.size(); i++) {
            String value = values.get(i);
            if (i == 0 && !value.isEmpty() && value.charAt(0) == '\uFEFF') {
                // A byte order mark starting a line: two exports joined into one file. The mark is invisible and
                // means nothing inside the text, so it is dropped and the row read as it stands.
                value = value.substring(1);
            }
            value = value.strip();
            if (ManifestReader.hasUndecodable(value)) {
                return ManifestRecord.defective(rowIndex, line, input.undecodable());
            }
            repeatsHeader &= value.equals(header.get(i));
            if (!value.isEmpty()) {
                fields.put(header.get(i), value);
            }
        }
        if (repeatsHeader) {
            return ManifestRecord.defective(rowIndex, line, "the header line again, not a device (two exports joined "
                    + "into one file?): delete this line");
        }
        return new ManifestRecord(rowIndex, line, fields, null);
    }

    @Override
    public boolean skipOne() {
        return next() != null;
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
