package dev.keyline.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestScanTest {

    @TempDir
    Path dir;

    @Test
    void countsRowsAndFindsRepeatedIdsWithTheFirstLine() throws IOException {
        Path file = dir.resolve("m.csv");
        Files.writeString(file, "device_id\na\nb\n\na\nc\nb\na\n");

        ManifestScan scan = ManifestScan.of(file, ManifestFormat.CSV);

        assertThat(scan.rows()).isEqualTo(6);
        // rows: 0:a(l2) 1:b(l3) 2:a(l5) 3:c(l6) 4:b(l7) 5:a(l8)
        assertThat(scan.duplicates()).containsOnlyKeys(2L, 4L, 5L);
        assertThat(scan.firstLineOfDuplicate(2)).isEqualTo(2L);
        assertThat(scan.firstLineOfDuplicate(4)).isEqualTo(3L);
        assertThat(scan.firstLineOfDuplicate(3)).isNull();
        assertThat(scan.sha256()).hasSize(64);
    }

    @Test
    void manyDistinctIdsHaveNoDuplicates() throws IOException {
        Path file = dir.resolve("m.csv");
        StringBuilder csv = new StringBuilder("device_id\n");
        for (int i = 0; i < 50_000; i++) {
            csv.append("device-").append(i).append('\n');
        }
        Files.writeString(file, csv);

        ManifestScan scan = ManifestScan.of(file, ManifestFormat.CSV);

        assertThat(scan.rows()).isEqualTo(50_000);
        assertThat(scan.duplicates()).isEmpty();
    }

    @Test
    void estimatesRowsFromLineEndsInPlainAndGzipFilesAsTheScanCountsThem() throws IOException {
        StringBuilder csv = new StringBuilder("device_id,organization\r\n");
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 70_000; i++) { // more than one read buffer
            csv.append("device-").append(i).append(",Acme\r\n");
            jsonl.append("{\"device_id\":\"device-").append(i).append("\"}\n");
        }
        Path plain = dir.resolve("m.csv");
        Files.writeString(plain, csv);
        Path noLastLineEnd = dir.resolve("last.csv");
        Files.writeString(noLastLineEnd, csv.substring(0, csv.length() - 2));
        Path lines = dir.resolve("m.jsonl");
        Files.writeString(lines, jsonl);
        Path gzip = dir.resolve("m.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write(csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        for (Path csvFile : new Path[] {plain, noLastLineEnd, gzip}) {
            assertThat(ManifestScan.estimateRows(csvFile, ManifestFormat.CSV)).as(csvFile.toString())
                    .isEqualTo(ManifestScan.of(csvFile, ManifestFormat.CSV).rows()).isEqualTo(70_000);
        }
        assertThat(ManifestScan.estimateRows(lines, ManifestFormat.JSONL))
                .isEqualTo(ManifestScan.of(lines, ManifestFormat.JSONL).rows()).isEqualTo(70_000);
        Path headerOnly = dir.resolve("h.csv");
        Files.writeString(headerOnly, "device_id");
        assertThat(ManifestScan.estimateRows(headerOnly, ManifestFormat.CSV)).isZero();
    }
}
