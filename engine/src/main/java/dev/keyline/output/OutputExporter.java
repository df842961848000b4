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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import dev.keyline.bundle.ArchiveBundleWriter;
import dev.keyline.ledger.ArchiveRecord;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.LedgerEntry;
import dev.keyline.ledger.Rejection;
import dev.keyline.ledger.RegistrationRecord;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes what a run hands back to the line, from the ledger (the truth), never from memory: {@code manifest.csv}
 * and {@code manifest.jsonl} (one row per issued device), {@code SHA256SUMS} (every bundle file, for
 * {@code sha256sum -c}), {@code rejects.csv}. Each file is replaced atomically, so re-running the export after a
 * crash is harmless. Streams rows: memory stays flat.
 */
public final class OutputExporter {

    public static final String MANIFEST_CSV = "manifest.csv";
    public static final String MANIFEST_JSONL = "manifest.jsonl";
    public static final String SHA256SUMS = "SHA256SUMS";
    public static final String REJECTS_CSV = "rejects.csv";

    static final String[] MANIFEST_COLUMNS = {"device_id", "thing_name", "certificate_id", "serial", "sha256_fingerprint",
            "not_before", "not_after", "key_algorithm", "key_location", "bundle_path", "bundle_entry", "status"};
    static final String[] REJECT_COLUMNS = {"line", "device_id", "reason"};

    private static final ObjectMapper JSON = JsonMapper.builder().build();

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
        List<String> targets = ledger.registrationTargets(outputId);
        List<String> header = new ArrayList<>(List.of(MANIFEST_COLUMNS));
        for (String target : targets) {
            header.addAll(List.of(target + "_certificate_arn", target + "_thing_arn", target + "_status"));
        }
        atomically(MANIFEST_CSV, csvWriter -> atomically(MANIFEST_JSONL, jsonWriter -> atomically(SHA256SUMS, sums -> {
            try (CSVPrinter csv = new CSVPrinter(csvWriter, CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new))
                    .setRecordSeparator('\n').get())) {
                ledger.forEachIssuedWithRegistrations(outputId, (entry, registrations) -> {
                    try {
                        Map<String, String> row = row(entry);
                        for (String target : targets) {
                            Optional<RegistrationRecord> r = registrations.stream().filter(x -> x.target().equals(target)).findFirst();
                            row.put(target + "_certificate_arn", r.flatMap(RegistrationRecord::certificateArn).orElse(""));
                            row.put(target + "_thing_arn", r.flatMap(RegistrationRecord::thingArn).orElse(""));
                            row.put(target + "_status", r.map(x -> x.status().name()).orElse(""));
                        }
                        csv.printRecord(row.values());
                        jsonWriter.write(JSON.writeValueAsString(row));
                        jsonWriter.write('\n');
                        if (!isArchive(entry.bundlePath())) {
                            sums.write(entry.bundleSums());
                        }
                        count[0]++;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                csv.flush();
            }
            // The archive layout: the archives as written (the ledger's per-file sums hold once they are extracted).
            for (ArchiveRecord archive : ledger.archives(outputId)) {
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
                ledger.forEachRejected(jobInstanceId, (Rejection r) -> {
                    try {
                        csv.printRecord(r.sourceLine(), r.deviceId() == null ? "" : r.deviceId(), r.reason());
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

    private static Map<String, String> row(LedgerEntry e) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("device_id", e.deviceId());
        row.put("thing_name", e.thingName());
        row.put("certificate_id", e.certificateId());
        row.put("serial", e.serialHex());
        row.put("sha256_fingerprint", e.certificateId());
        row.put("not_before", e.notBefore().toString());
        row.put("not_after", e.notAfter().toString());
        row.put("key_algorithm", e.keyAlgorithm());
        row.put("key_location", e.keyLocation() == null ? "" : e.keyLocation().name());
        row.put("bundle_path", e.bundlePath());
        row.put("bundle_entry", isArchive(e.bundlePath()) ? e.deviceId() + "/" : "");
        row.put("status", e.status().name());
        return row;
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
