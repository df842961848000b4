package dev.keyline.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keyline.ledger.ArchiveRecord;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.ManifestChunk;
import dev.keyline.ledger.Rejection;
import dev.keyline.ledger.RegistrationRecord;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes what a run hands back to the line, from what committed (the ledger, and the manifest row files each chunk
 * wrote at its commit), never from memory: {@code manifest.csv}
 * and {@code manifest.jsonl} (one row per issued device), {@code SHA256SUMS} (every bundle file, for
 * {@code sha256sum -c}), {@code rejects.csv}. The output manifest is byte-exact for machines: every value in it is
 * validated (device ids and thing names match AWS IoT's thing-name pattern), digests, times, enums, or AWS ARNs, so
 * none can hold a control character or a formula ({@code manifest.csv} cells may start with {@code -}: a device id
 * may). {@code rejects.csv} holds what failed validation: its cells go through {@link UntrustedCell}. Each file is
 * replaced atomically, so re-running the export after a crash is harmless. Streams rows: memory stays flat.
 */
public final class OutputExporter {

    public static final String MANIFEST_CSV = "manifest.csv";
    public static final String MANIFEST_JSONL = "manifest.jsonl";
    public static final String SHA256SUMS = "SHA256SUMS";
    public static final String REJECTS_CSV = "rejects.csv";

    static final String[] MANIFEST_COLUMNS = ManifestRow.COLUMNS;
    static final String[] REJECT_COLUMNS = {"line", "device_id", "reason"};
    /** Every CSV file the export writes; the manifest row files render their cells with it too. */
    static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private static final Logger LOG = LoggerFactory.getLogger(OutputExporter.class);
    /** Writes each top-level object on a line of its own (JSON Lines), instead of Jackson's default space. */
    private static final JsonFactory JSON_LINES = JsonFactory.builder().rootValueSeparator("\n").build();

    private final Ledger ledger;
    private final Path out;

    public OutputExporter(Ledger ledger, Path out) {
        this.ledger = ledger;
        this.out = out;
    }

    /**
     * When devices of the output were registered, each target adds {@code <target>_certificate_arn},
     * {@code <target>_thing_arn} and {@code <target>_status} (REGISTERED, FAILED, or empty: not tried).
     *
     * <p>Merges the manifest row files the workers wrote at each chunk's commit ({@link ManifestRowsWriter}) when they
     * cover every identity of the output, else reads the identities from the ledger ({@link #exportIssuedFromLedger}):
     * an output with identities issued before the row files existed. Both give the same bytes.
     *
     * @return the number of identities written to the output manifest
     */
    public long exportIssued(String outputId) {
        if (ledger.manifestChunks().manifestChunks(outputId).isEmpty()) {
            return exportIssuedFromLedger(outputId);
        }
        try {
            return exportIssuedFromRowFiles(outputId);
        } catch (RowFilesUnusableException e) {
            LOG.warn("the output manifest is written from the ledger: {}", e.getMessage());
            return exportIssuedFromLedger(outputId);
        }
    }

    /**
     * The output manifest from the manifest row files alone.
     *
     * @throws RowFilesUnusableException they do not cover every identity of the output, or one is missing or damaged;
     *                                   the files already written are left as they were
     */
    public long exportIssuedFromRowFiles(String outputId) {
        List<ManifestChunk> chunks = ledger.manifestChunks().manifestChunks(outputId);
        long rows = 0;
        for (ManifestChunk c : chunks) {
            rows += c.rows();
            Path file = out.resolve(c.path());
            try {
                if (Files.size(file) != c.size()) {
                    throw new RowFilesUnusableException(file + " is not the size it was written with");
                }
            } catch (IOException e) {
                throw new RowFilesUnusableException(file + " cannot be read (" + e.getMessage() + ")");
            }
        }
        long issued = ledger.identities().countIssued(outputId);
        if (rows != issued) {
            throw new RowFilesUnusableException("the manifest row files hold " + rows + " identities of the output's "
                    + issued);
        }
        return exportFromRowFiles(outputId, chunks);
    }

    /** The row files in device id order, joined with the registration rows read in the same order. */
    private long exportFromRowFiles(String outputId, List<ManifestChunk> chunks) {
        long expected = chunks.stream().mapToLong(ManifestChunk::rows).sum();
        List<String> targets = ledger.registrations().registrationTargets(outputId);
        List<String> header = header(targets);
        Map<String, Long> summary = new HashMap<>();
        long[] count = {0};
        try {
            atomically(MANIFEST_CSV, csvOut -> atomically(MANIFEST_JSONL, jsonOut -> atomically(SHA256SUMS, sums -> {
                StringBuilder headerLine = new StringBuilder();
                try (CSVPrinter printer = new CSVPrinter(headerLine, CSV.builder().setHeader(header.toArray(String[]::new)).get())) {
                    printer.flush();
                }
                csvOut.write(headerLine.toString().getBytes(StandardCharsets.UTF_8));
                Path scratch = out.resolve(ManifestRowsWriter.FOLDER).resolve(".merge-" + ProcessHandle.current().pid());
                try (ManifestMerge merge = new ManifestMerge(out, chunks, scratch)) {
                    RegistrationJoin join = new RegistrationJoin(merge, targets, header.subList(MANIFEST_COLUMNS.length,
                            header.size()), row -> {
                        summary.merge(new String(row.summaryKey(), StandardCharsets.UTF_8), 1L, Long::sum);
                    }, csvOut, jsonOut, sums);
                    try {
                        ledger.registrations().forEachRegistration(outputId, join::registration);
                    } catch (UncheckedIOException e) {
                        throw e.getCause();
                    }
                    count[0] = join.finish();
                }
                if (count[0] != expected) {
                    throw new RowFilesUnusableException("the manifest row files hold " + count[0] + " rows, not the "
                            + expected + " their records say");
                }
                sums.write(archiveSums(outputId).getBytes(StandardCharsets.UTF_8));
            })));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof ManifestRowsFile.DamagedRowsFileException damaged) {
                throw new RowFilesUnusableException(damaged.getMessage());
            }
            throw e;
        }
        ledger.identities().recordRegistrationSummary(outputId, summary);
        return count[0];
    }

    /**
     * The export as it was before the manifest row files: every identity read back from the ledger, with its
     * registrations, in device id order. For outputs the row files do not cover, and to compare with.
     *
     * @return the number of identities written to the output manifest
     */
    public long exportIssuedFromLedger(String outputId) {
        long[] count = {0};
        List<String> targets = ledger.registrations().registrationTargets(outputId);
        List<String> header = header(targets);
        SerializableString[] names = header.stream().map(SerializedString::new).toArray(SerializableString[]::new);
        atomicallyText(MANIFEST_CSV, csvWriter -> atomicallyText(MANIFEST_JSONL, jsonWriter -> atomicallyText(SHA256SUMS, sums -> {
            // One generator for the whole file, one object per line: a map and a serialiser per row were a fifth
            // of the export's time on 1,000,000 devices.
            try (CSVPrinter csv = new CSVPrinter(csvWriter, CSV.builder().setHeader(header.toArray(String[]::new)).get());
                 JsonGenerator json = JSON_LINES.createGenerator(jsonWriter)) {
                String[] row = new String[header.size()];
                InstantTexts instants = new InstantTexts();
                ledger.identities().forEachIssuedWithRegistrations(outputId, (entry, registrations) -> {
                    try {
                        ManifestRow.fill(row, entry, instants);
                        int i = MANIFEST_COLUMNS.length;
                        for (String target : targets) {
                            Optional<RegistrationRecord> r = registrations.stream().filter(x -> x.target().equals(target)).findFirst();
                            row[i++] = r.flatMap(RegistrationRecord::certificateArn).orElse("");
                            row[i++] = r.flatMap(RegistrationRecord::thingArn).orElse("");
                            row[i++] = r.map(x -> x.status().name()).orElse("");
                        }
                        csv.printRecord((Object[]) row);
                        json.writeStartObject();
                        for (int c = 0; c < row.length; c++) {
                            json.writeName(names[c]);
                            json.writeString(row[c]);
                        }
                        json.writeEndObject();
                        if (!ManifestRow.isArchive(entry.bundlePath())) {
                            sums.write(entry.bundleSums());
                        }
                        count[0]++;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                if (count[0] > 0) {
                    json.writeRaw('\n'); // the generator separates objects with a newline: the last line needs its own
                }
                csv.flush();
            }
            sums.write(archiveSums(outputId));
        })));
        return count[0];
    }

    private static List<String> header(List<String> targets) {
        List<String> header = new ArrayList<>(List.of(MANIFEST_COLUMNS));
        for (String target : targets) {
            header.addAll(List.of(target + "_certificate_arn", target + "_thing_arn", target + "_status"));
        }
        return header;
    }

    /**
     * The archive layout's lines of SHA256SUMS: the archives as written (the ledger's per-file sums hold once they are
     * extracted). One line per chunk: a few hundred kilobytes for a million devices.
     */
    private String archiveSums(String outputId) {
        StringBuilder lines = new StringBuilder();
        for (ArchiveRecord archive : ledger.archives().archives(outputId)) {
            lines.append(archive.sha256()).append("  ").append(archive.path()).append('\n');
        }
        return lines.toString();
    }

    /**
     * Writes the merged rows, each with its registration cells: the registration rows come in the same device id
     * order, so the join holds one device's rows.
     */
    private static final class RegistrationJoin {
        private final ManifestMerge merge;
        private final List<String> targets;
        private final SerializableString[] names;
        private final java.util.function.Consumer<ManifestRowsFile.Row> counted;
        private final OutputStream csv;
        private final OutputStream json;
        private final OutputStream sums;
        private final List<RegistrationRecord> pending = new ArrayList<>();
        private final StringBuilder csvCells = new StringBuilder();
        private final CSVPrinter csvPrinter;
        private final JsonObjectText jsonFields = new JsonObjectText();
        private final String[] cells;
        private String pendingDevice;
        private ManifestRowsFile.Row lookahead;
        private long written;

        RegistrationJoin(ManifestMerge merge, List<String> targets, List<String> names,
                         java.util.function.Consumer<ManifestRowsFile.Row> counted, OutputStream csv, OutputStream json,
                         OutputStream sums) throws IOException {
            this.merge = merge;
            this.targets = targets;
            this.names = names.stream().map(SerializedString::new).toArray(SerializableString[]::new);
            this.counted = counted;
            this.csv = csv;
            this.json = json;
            this.sums = sums;
            this.cells = new String[names.size()];
            this.csvPrinter = new CSVPrinter(csvCells, CSV);
        }

        void registration(RegistrationRecord r) {
            try {
                if (!r.deviceId().equals(pendingDevice)) {
                    flush();
                    pendingDevice = r.deviceId();
                }
                pending.add(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes every row up to the pending device, that one with its registrations. */
        private void flush() throws IOException {
            if (pendingDevice == null) {
                return;
            }
            byte[] id = pendingDevice.getBytes(StandardCharsets.UTF_8);
            ManifestRowsFile.Row row;
            while ((row = peek()) != null && Arrays.compareUnsigned(row.deviceId(), id) < 0) {
                write(take(), List.of());
            }
            if (row != null && Arrays.equals(row.deviceId(), id)) {
                write(take(), pending);
            } // else: registrations of a device the output does not hold, which the ledger's join leaves out too
            pending.clear();
            pendingDevice = null;
        }

        /** @return the rows written */
        long finish() throws IOException {
            flush();
            for (ManifestRowsFile.Row row = take(); row != null; row = take()) {
                write(row, List.of());
            }
            return written;
        }

        private ManifestRowsFile.Row peek() throws IOException {
            if (lookahead == null) {
                lookahead = merge.next();
            }
            return lookahead;
        }

        private ManifestRowsFile.Row take() throws IOException {
            ManifestRowsFile.Row row = peek();
            lookahead = null;
            return row;
        }

        private void write(ManifestRowsFile.Row row, List<RegistrationRecord> registrations) throws IOException {
            csv.write(row.csv());
            json.write(row.json());
            if (!targets.isEmpty()) {
                registrationCells(registrations);
                csv.write(csvCells().getBytes(StandardCharsets.UTF_8));
                json.write(',');
                json.write(jsonFields().getBytes(StandardCharsets.UTF_8));
            }
            csv.write('\n');
            json.write('}');
            json.write('\n');
            sums.write(row.sums());
            if (row.summaryKey() != null) {
                counted.accept(row);
            }
            written++;
        }

        private void registrationCells(List<RegistrationRecord> registrations) {
            int i = 0;
            for (String target : targets) {
                Optional<RegistrationRecord> r = registrations.stream().filter(x -> x.target().equals(target)).findFirst();
                cells[i++] = r.flatMap(RegistrationRecord::certificateArn).orElse("");
                cells[i++] = r.flatMap(RegistrationRecord::thingArn).orElse("");
                cells[i++] = r.map(x -> x.status().name()).orElse("");
            }
        }

        /** The registration cells as they follow the manifest's own in a CSV record: each with its separator. */
        private String csvCells() throws IOException {
            csvCells.setLength(0);
            csvPrinter.print("x"); // a first cell of the record, whose quoting rule differs from the others'
            for (String cell : cells) {
                csvPrinter.print(cell);
            }
            csvPrinter.println();
            return csvCells.substring(1, csvCells.length() - 1);
        }

        /** The registration fields as they follow the manifest's own in a JSON object. */
        private String jsonFields() {
            String object = jsonFields.of(names, cells);
            return object.substring(1, object.length() - 1);
        }
    }

    /** The row files do not give the output's manifest (damaged, or fewer rows than recorded): the ledger does. */
    public static final class RowFilesUnusableException extends RuntimeException {
        RowFilesUnusableException(String message) {
            super(message);
        }
    }

    /** @return the number of rejected rows written */
    public long exportRejected(long jobInstanceId) {
        long[] count = {0};
        atomicallyText(REJECTS_CSV, writer -> {
            try (CSVPrinter csv = new CSVPrinter(writer, CSV.builder().setHeader(REJECT_COLUMNS).get())) {
                ledger.rejections().forEachRejected(jobInstanceId, (Rejection r) -> {
                    try {
                        // The device id and the reason carry manifest text: inert and formula-neutralised.
                        csv.printRecord(r.sourceLine(), UntrustedCell.of(r.deviceId()), UntrustedCell.of(r.reason()));
                        count[0]++;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                csv.flush();
            }
        });
        return count[0];
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private interface TextBody {
        void write(Writer writer) throws IOException;
    }

    /** As {@link Files#newBufferedWriter}: UTF-8 that refuses what it cannot encode rather than replacing it. */
    private void atomicallyText(String name, TextBody body) {
        atomically(name, stream -> {
            try (Writer writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8.newEncoder()))) {
                body.write(writer);
            }
        });
    }

    private void atomically(String name, Body body) {
        Path target = out.resolve(name);
        Path temp = out.resolve("." + name + ".tmp");
        try {
            // Written behind: the merge fills the next buffer while a thread of the stream's own writes the last.
            try (OutputStream stream = new WriteBehindOutputStream(Files.newOutputStream(temp), "keyline-export-" + name)) {
                body.write(stream);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a leftover temporary file is replaced by the next export
            }
        }
    }
}
