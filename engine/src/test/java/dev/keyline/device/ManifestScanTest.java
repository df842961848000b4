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
}
