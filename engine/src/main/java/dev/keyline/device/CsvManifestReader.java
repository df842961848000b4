package dev.keyline.device;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** RFC 4180 CSV with a header row; LF or CRLF; blank lines ignored; values stripped of surrounding blanks. */
final class CsvManifestReader implements ManifestReader {

    /*
     * Empty lines are NOT ignored by the parser: they come through as one-empty-value records and are dropped
     * here, so that the parser's line counter tells exactly where every row starts.
     */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(false)
            .get();

    private final java.nio.file.Path manifest;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    private long index;
    private long lastLine;

    CsvManifestReader(java.nio.file.Path manifest, Reader reader) {
        this.manifest = manifest;
        try {
            this.parser = CSVParser.parse(reader, FORMAT);
        } catch (IOException e) {
            throw new ManifestException(manifest, "cannot read: " + e.getMessage(), e);
        }
        this.records = parser.iterator();
        this.header = readHeader();
    }

    private List<String> readHeader() {
        while (true) {
            CSVRecord first = nextRaw();
            if (first == null) {
                throw new ManifestException(manifest, "empty manifest: the first line must be a header naming the columns, "
                        + "at least " + ManifestColumns.DEVICE_ID);
            }
            if (isBlank(first)) {
                continue;
            }
            List<String> names = new ArrayList<>(first.size());
            for (String raw : first) {
                String name = raw.strip();
                if (ManifestReader.hasUndecodable(name)) {
                    throw new ManifestException(manifest, "line " + lastLine + ": the header is not valid UTF-8; save the manifest as UTF-8");
                }
                if (!ManifestColumns.isKnown(name)) {
                    throw new ManifestException(manifest, "line " + lastLine + ": " + ManifestColumns.unknown("column", name));
                }
                if (names.contains(name)) {
                    throw new ManifestException(manifest, "line " + lastLine + ": column '" + name + "' appears twice in the header");
                }
                names.add(name);
            }
            if (!names.contains(ManifestColumns.DEVICE_ID)) {
                throw new ManifestException(manifest, "line " + lastLine + ": the header has no " + ManifestColumns.DEVICE_ID
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
            long startLine = lastLine + 1;
            CSVRecord record = nextRaw();
            if (record == null) {
                return null;
            }
            if (isBlank(record)) {
                continue;
            }
            long rowIndex = index++;
            if (record.size() != header.size()) {
                return ManifestRecord.defective(rowIndex, startLine, "the row has " + record.size()
                        + " fields but the header has " + header.size() + " (a missing or extra comma, or an unquoted comma in a value?)");
            }
            Map<String, String> fields = new LinkedHashMap<>(header.size() * 2);
            for (int i = 0; i < header.size(); i++) {
                String value = record.get(i).strip();
                if (ManifestReader.hasUndecodable(value)) {
                    return ManifestRecord.defective(rowIndex, startLine, ManifestReader.NOT_UTF8);
                }
                if (!value.isEmpty()) {
                    fields.put(header.get(i), value);
                }
            }
            return new ManifestRecord(rowIndex, startLine, fields, null);
        }
    }

    @Override
    public boolean skipOne() {
        return next() != null;
    }

    @Override
    public long position() {
        return index;
    }

    private CSVRecord nextRaw() {
        try {
            if (!records.hasNext()) {
                return null;
            }
            CSVRecord record = records.next();
            lastLine = parser.getCurrentLineNumber();
            return record;
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new ManifestException(manifest, "line " + (lastLine + 1) + ": cannot parse CSV: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                    + " (is a quoted value left open?)", e);
        }
    }

    private static boolean isBlank(CSVRecord record) {
        return record.size() == 1 && record.get(0).isBlank();
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
