package dev.keyline.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import dev.keyline.bundle.ArchiveBundleWriter;
import dev.keyline.ledger.ArchiveRecord;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.LedgerEntry;
import dev.keyline.ledger.Rejection;
import dev.keyline.ledger.RegistrationRecord;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes what a run hands back to the line, from the ledger (the truth), never from memory: {@code manifest.csv}
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

    static final String[] MANIFEST_COLUMNS = {"device_id", "thing_name", "certificate_id", "serial", "sha256_fingerprint",
            "not_before", "not_after", "key_algorithm", "key_location", "bundle_path", "bundle_entry", "status"};
    static final String[] REJECT_COLUMNS = {"line", "device_id", "reason"};

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
     * @return the number of identities written to the output manifest
     */
    public long exportIssued(String outputId) {
        long[] count = {0};
        List<String> targets = ledger.registrations().registrationTargets(outputId);
        List<String> header = new ArrayList<>(List.of(MANIFEST_COLUMNS));
        for (String target : targets) {
            header.addAll(List.of(target + "_certificate_arn", target + "_thing_arn", target + "_status"));
        }
        SerializableString[] names = header.stream().map(SerializedString::new).toArray(SerializableString[]::new);
        atomically(MANIFEST_CSV, csvWriter -> atomically(MANIFEST_JSONL, jsonWriter -> atomically(SHA256SUMS, sums -> {
            // One generator for the whole file, one object per line: a map and a serialiser per row were a fifth
            // of the export's time on 1,000,000 devices.
            try (CSVPrinter csv = new CSVPrinter(csvWriter, CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new))
                    .setRecordSeparator('\n').get());
                 JsonGenerator json = JSON_LINES.createGenerator(jsonWriter)) {
                String[] row = new String[header.size()];
                ledger.identities().forEachIssuedWithRegistrations(outputId, (entry, registrations) -> {
                    try {
                        fill(row, entry);
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
                        if (!isArchive(entry.bundlePath())) {
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
            // The archive layout: the archives as written (the ledger's per-file sums hold once they are extracted).
            for (ArchiveRecord archive : ledger.archives().archives(outputId)) {
                sums.write(archive.sha256() + "  " + archive.path() + "\n");
            }
        })));
        return count[0];
    }

    /** @return the number of rejected rows written */
    public long exportRejected(long jobInstanceId) {
        long[] count = {0};
        atomically(REJECTS_CSV, writer -> {
            try (CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(REJECT_COLUMNS)
                    .setRecordSeparator('\n').get())) {
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

    /** The {@link #MANIFEST_COLUMNS} of an identity, in that order. */
    private static void fill(String[] row, LedgerEntry e) {
        row[0] = e.deviceId();
        row[1] = e.thingName();
        row[2] = e.certificateId();
        row[3] = e.serialHex();
        row[4] = e.certificateId();
        row[5] = e.notBefore().toString();
        row[6] = e.notAfter().toString();
        row[7] = e.keyAlgorithm();
        row[8] = e.keyLocation();
        row[9] = e.bundlePath();
        row[10] = isArchive(e.bundlePath()) ? e.deviceId() + "/" : "";
        row[11] = e.status().name();
    }

    /** Device ids cannot hold a dot, so only an archive's path ends in its extension. */
    private static boolean isArchive(String bundlePath) {
        return bundlePath.endsWith(ArchiveBundleWriter.EXTENSION);
    }

    private interface Body {
        void write(Writer writer) throws IOException;
    }

    private void atomically(String name, Body body) {
        Path target = out.resolve(name);
        Path temp = out.resolve("." + name + ".tmp");
        try {
            try (BufferedWriter writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                body.write(writer);
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
