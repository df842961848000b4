package dev.keyline.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import dev.keyline.ledger.ArchiveRecord;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.LedgerEntry;
import dev.keyline.ledger.RegistrationRecord;
import dev.keyline.ledger.RegistrationStatus;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The output manifest as the line reads it: manifest.csv and manifest.jsonl hold the same rows, in device id
 * order, with a line's columns in the header's order, registration columns per target, and SHA256SUMS covers
 * folder bundles by file and archive bundles by archive. Parsed back with independent readers (commons-csv's
 * parser, Jackson's ObjectMapper), not compared with strings the exporter made.
 */
class OutputExporterTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;
    private SingleConnectionDataSource dataSource;
    private Ledger ledger;
    private Path out;

    @BeforeEach
    void openLedger() throws IOException {
        dataSource = new SingleConnectionDataSource("jdbc:h2:file:" + dir.resolve("ledger"), "sa", "", true);
        ledger = Ledger.open(dataSource);
        out = Files.createDirectories(dir.resolve("out"));
    }

    @AfterEach
    void close() {
        dataSource.destroy();
    }

    @Test
    void csvAndJsonLinesHoldTheSameRowsWithEachTargetsRegistration() throws IOException {
        String sums = "ab".repeat(32) + "  bundles/dev-b/device.crt.pem\n";
        ledger.identities().recordIssued(List.of(
                entry("dev-c", "bundles/dev-a.tar", ""),
                entry("dev-a", "bundles/dev-a.tar", ""),
                entry("dev-b", "bundles/dev-b", sums)));
        ledger.archives().recordArchives("out-1", 1, List.of(new ArchiveRecord("bundles/dev-a.tar", "cd".repeat(32), 4096)), NOW);
        ledger.registrations().recordRegistrations(List.of(
                registration("dev-a", "prod", RegistrationStatus.REGISTERED),
                registration("dev-a", "eu", RegistrationStatus.REGISTERED),
                registration("dev-b", "prod", RegistrationStatus.FAILED)));

        long written = new OutputExporter(ledger, out).exportIssued("out-1");

        assertThat(written).isEqualTo(3);
        List<Map<String, String>> csv = csvRows();
        List<Map<String, String>> jsonl = jsonLines();
        assertThat(jsonl).isEqualTo(csv);
        assertThat(csv).extracting(r -> r.get("device_id")).containsExactly("dev-a", "dev-b", "dev-c");
        assertThat(new ArrayList<>(csv.get(0).keySet())).containsExactly("device_id", "thing_name", "certificate_id",
                "serial", "sha256_fingerprint", "not_before", "not_after", "key_algorithm", "key_location",
                "bundle_path", "bundle_entry", "status", "eu_certificate_arn", "eu_thing_arn", "eu_status",
                "prod_certificate_arn", "prod_thing_arn", "prod_status");

        Map<String, String> a = csv.get(0);
        assertThat(a).containsEntry("thing_name", "thing-dev-a").containsEntry("certificate_id", certificateId("dev-a"))
                .containsEntry("sha256_fingerprint", certificateId("dev-a")).containsEntry("serial", "1a2b")
                .containsEntry("not_before", "2026-12-02T12:00:00Z").containsEntry("not_after", "2026-12-02T13:00:00Z")
                .containsEntry("key_location", "BUNDLE").containsEntry("bundle_path", "bundles/dev-a.tar")
                .containsEntry("bundle_entry", "dev-a/").containsEntry("status", "ISSUED")
                .containsEntry("prod_status", "REGISTERED").containsEntry("prod_certificate_arn", "arn:aws:iot:prod:cert/dev-a")
                .containsEntry("prod_thing_arn", "arn:aws:iot:prod:thing/dev-a").containsEntry("eu_status", "REGISTERED");
        assertThat(csv.get(1)).containsEntry("bundle_entry", "").containsEntry("prod_status", "FAILED")
                .containsEntry("eu_status", "").containsEntry("eu_certificate_arn", "");
        assertThat(csv.get(2)).containsEntry("prod_status", "").containsEntry("eu_status", "");

        String text = Files.readString(out.resolve(OutputExporter.MANIFEST_JSONL));
        assertThat(text).as("one object per line, each line ended").endsWith("}\n").doesNotContain("\n\n").doesNotStartWith(" ");
        assertThat(Files.readString(out.resolve(OutputExporter.SHA256SUMS)))
                .isEqualTo(sums + "cd".repeat(32) + "  bundles/dev-a.tar\n");
    }

    @Test
    void anOutputWithNoIssuedDeviceHasEmptyManifests() throws IOException {
        assertThat(new OutputExporter(ledger, out).exportIssued("out-1")).isZero();

        assertThat(Files.readString(out.resolve(OutputExporter.MANIFEST_JSONL))).isEmpty();
        assertThat(Files.readAllLines(out.resolve(OutputExporter.MANIFEST_CSV))).containsExactly(String.join(",", OutputExporter.MANIFEST_COLUMNS));
        assertThat(Files.readString(out.resolve(OutputExporter.SHA256SUMS))).isEmpty();
    }

    private List<Map<String, String>> csvRows() throws IOException {
        try (Reader reader = Files.newBufferedReader(out.resolve(OutputExporter.MANIFEST_CSV));
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord record : parser) {
                Map<String, String> row = new LinkedHashMap<>();
                parser.getHeaderNames().forEach(name -> row.put(name, record.get(name)));
                rows.add(row);
            }
            return rows;
        }
    }

    private List<Map<String, String>> jsonLines() throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(OutputExporter.MANIFEST_JSONL))) {
            rows.add(JSON.readValue(line, new TypeReference<LinkedHashMap<String, String>>() { }));
        }
        return rows;
    }

    private static String certificateId(String deviceId) {
        return String.format("%064x", deviceId.hashCode() & 0xffffffffL);
    }

    private static LedgerEntry entry(String deviceId, String bundlePath, String sums) {
        return new LedgerEntry("out-1", deviceId, 1, 1, deviceId.hashCode() & 0xffff, 2, "thing-" + deviceId,
                certificateId(deviceId), "1a2b", String.format("%064x", (long) deviceId.hashCode()), NOW,
                NOW.plusSeconds(3600), "ec-p256", "BUNDLE", bundlePath, sums,
                LedgerEntry.IdentityStatus.ISSUED, NOW, Optional.empty());
    }

    private static RegistrationRecord registration(String deviceId, String target, RegistrationStatus status) {
        boolean registered = status == RegistrationStatus.REGISTERED;
        return new RegistrationRecord("out-1", deviceId, target, status,
                Optional.of("arn:aws:iot:" + target + ":cert/" + deviceId).filter(x -> registered),
                Optional.of("arn:aws:iot:" + target + ":thing/" + deviceId).filter(x -> registered),
                Optional.of("ThrottlingException").filter(x -> !registered), Optional.of("slow down").filter(x -> !registered),
                1, NOW);
    }
}
