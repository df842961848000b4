package dev.keyline.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan reads device ids without building records ({@link ManifestReader#forEachRawDeviceId}) and a resuming
 * partition skips rows without them ({@link ManifestReader#skipOne}); both must see the rows {@code next()} sees: the
 * same ids, the same defective rows (no id), the same count. Checked on random manifests built from the rows that
 * matter (blank lines, a repeated header, a byte order mark starting a line, bytes that are not UTF-8, quoted values
 * with commas and line breaks, a quote left open, missing and extra fields, empty ids), with a fixed seed.
 */
class RawDeviceIdAgreementTest {

    private static final String[] ROWS = {
            "dev-%d,Acme,US", "  dev-%d  ,Acme,US", "\"dev-%d\",\"Acme, Inc.\",US", "\"dev-%d\",\"two\nlines\",US",
            "", "   ", "device_id,organization,country", "\uFEFFdev-%d,Acme,US", "\uFEFFdevice_id,organization,country",
            ",Acme,US", "  ,Acme,US", "dev-%d,Acme", "dev-%d,Acme,US,extra", "dev-%d,\"open quote,US",
            "dev-%d,\"Acme\"x,US", "dev-1,Acme,US", "\"\",Acme,US", "dev-%d,Ac\u00e9me,US", "NOT-UTF8",
    };

    @TempDir
    Path dir;

    @Test
    void theLeanReadsSeeTheRowsTheRecordsSee() throws IOException {
        Random random = new Random(20261207);
        int defective = 0;
        int withId = 0;
        for (int n = 0; n < 400; n++) {
            Path manifest = dir.resolve("m" + n + ".csv");
            Files.write(manifest, randomManifest(random));

            List<String> expected = new ArrayList<>();
            long rows;
            try (ManifestReader reader = ManifestReader.open(manifest, ManifestFormat.CSV)) {
                for (ManifestRecord record = reader.next(); record != null; record = reader.next()) {
                    expected.add(record.rawDeviceId());
                    defective += record.defect() != null ? 1 : 0;
                }
                rows = reader.position();
            }
            withId += (int) expected.stream().filter(id -> id != null).count();

            List<String> lean = new ArrayList<>();
            try (ManifestReader reader = ManifestReader.open(manifest, ManifestFormat.CSV)) {
                reader.forEachRawDeviceId(lean::add);
                assertThat(reader.position()).as("rows counted in %s", manifest).isEqualTo(rows);
            }
            assertThat(lean).as("device ids of %s:%n%s", manifest, Files.readString(manifest, StandardCharsets.ISO_8859_1))
                    .isEqualTo(expected);

            // Skipping to any row, then reading on, gives the rows next() gives from there.
            long skipTo = rows == 0 ? 0 : random.nextLong(rows + 1);
            try (ManifestReader reader = ManifestReader.open(manifest, ManifestFormat.CSV)) {
                reader.skipTo(skipTo);
                assertThat(reader.position()).isEqualTo(skipTo);
                List<String> rest = new ArrayList<>();
                for (ManifestRecord record = reader.next(); record != null; record = reader.next()) {
                    rest.add(record.rawDeviceId());
                }
                assertThat(rest).isEqualTo(expected.subList((int) skipTo, expected.size()));
            }
        }
        // The cases were exercised, not only generated.
        assertThat(defective).isGreaterThan(500);
        assertThat(withId).isGreaterThan(1_000);
    }

    @Test
    void aScanOfTheLeanReadFindsTheRepeatedIds() throws IOException {
        Path manifest = dir.resolve("repeats.csv");
        Files.writeString(manifest, "device_id,organization\n\uFEFFdev-1,Acme\n\ndev-2,Acme\n  dev-1 ,Acme\ndev-2,Acme,extra\n"
                + "\"dev-2\",Acme\n");
        ManifestScan scan = ManifestScan.of(manifest, ManifestFormat.CSV);
        assertThat(scan.rows()).isEqualTo(5);
        // Row 2 (" dev-1 ", line 5) repeats line 2; row 4 (line 7) repeats line 4; row 3 is defective and repeats nothing.
        assertThat(scan.duplicates()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(2L, 2L, 4L, 4L));
    }

    @Test
    void aScanFindsEveryRepeatAmongManyIds() throws IOException {
        Random random = new Random(7);
        // Sizes around the repeat table's growth (it stays at most half full), and one large enough to probe far.
        for (int rows : new int[] {1, 2, 1023, 1024, 1025, 2049, 60_000}) {
            StringBuilder text = new StringBuilder("device_id\n");
            java.util.Map<String, Long> firstLine = new java.util.HashMap<>();
            java.util.Map<Long, Long> expected = new java.util.HashMap<>();
            for (int i = 0; i < rows; i++) {
                // About one row in fifty repeats an earlier id.
                String id = i > 0 && random.nextInt(50) == 0 ? "dev-" + random.nextInt(i) : "dev-" + i;
                long line = i + 2;
                Long first = firstLine.putIfAbsent(id, line);
                if (first != null) {
                    expected.put((long) i, first);
                }
                text.append(id).append('\n');
            }
            Path manifest = dir.resolve("many-" + rows + ".csv");
            Files.writeString(manifest, text);
            ManifestScan scan = ManifestScan.of(manifest, ManifestFormat.CSV);
            assertThat(scan.rows()).isEqualTo(rows);
            assertThat(scan.duplicates()).as("%d rows", rows).isEqualTo(expected);
        }
    }

    private static byte[] randomManifest(Random random) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes("device_id,organization,country\n".getBytes(StandardCharsets.UTF_8));
        for (int i = random.nextInt(30); i > 0; i--) {
            String row = ROWS[random.nextInt(ROWS.length)];
            if (row.equals("NOT-UTF8")) {
                bytes.writeBytes("dev-".getBytes(StandardCharsets.UTF_8));
                bytes.write(0xE9); // Latin-1 e-acute: not UTF-8
                bytes.writeBytes(",Acme,US".getBytes(StandardCharsets.UTF_8));
            } else {
                bytes.writeBytes(String.format(row, random.nextInt(40)).getBytes(StandardCharsets.UTF_8));
            }
            bytes.writeBytes((random.nextInt(4) == 0 ? "\r\n" : "\n").getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
