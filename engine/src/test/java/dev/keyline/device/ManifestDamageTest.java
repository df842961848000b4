package dev.keyline.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.ManifestFiles;

/** Manifests as they arrive damaged from a line: every defect is a row with its line, or a reason for the whole file. */
class ManifestDamageTest {

    @TempDir
    Path dir;

    private List<ManifestRecord> readAll(Path file) {
        List<ManifestRecord> records = new ArrayList<>();
        try (ManifestReader reader = ManifestReader.open(file, ManifestFormat.of(file, null))) {
            for (ManifestRecord r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
        }
        return records;
    }

    private List<ManifestRecord> readAll(String name, String content) throws IOException {
        return readAll(Files.writeString(dir.resolve(name), content));
    }

    private static String csvRows(int from, int to) {
        StringBuilder csv = new StringBuilder();
        for (int i = from; i <= to; i++) {
            csv.append("dev-").append(i).append(",Acme,DE,x\n");
        }
        return csv.toString();
    }

    @Test
    void aQuoteThatNeverClosesOnTheLastRowsIsOneRejectNamingTheLinesItSwallowed() throws IOException {
        // line 1 header, lines 2-461 devices, line 462 opens a quote, lines 463-480 follow to the end of the file
        String csv = "device_id,organization,country,common_name\n" + csvRows(1, 460) + "\"dev-9,,DE,x\n" + csvRows(1000, 1016)
                + "dev-2000,Acme,DE,x";
        List<ManifestRecord> records = readAll("m.csv", csv);

        assertThat(records).hasSize(461);
        assertThat(records.subList(0, 460)).allSatisfy(r -> assertThat(r.defect()).isNull());
        assertThat(records.get(459).rawDeviceId()).isEqualTo("dev-460");
        ManifestRecord last = records.get(460);
        assertThat(last.index()).isEqualTo(460);
        assertThat(last.line()).isEqualTo(462);
        assertThat(last.defect()).contains("a quoted value opened on line 462 is never closed")
                .contains("lines 462-480 were read as one value").contains("close the quote");

        ManifestScan scan = ManifestScan.of(dir.resolve("m.csv"), ManifestFormat.CSV);
        assertThat(scan.rows()).isEqualTo(461);
    }

    @Test
    void aQuoteLeftOpenMidFileSwallowsUntilTheNextQuoteAndTheRowsAfterAreReadAgain() throws IOException {
        String csv = "device_id,organization,country,common_name\n"
                + "dev-1,Acme,DE,x\n"
                + "dev-2,\"Acme,DE,x\n"                  // line 3: the quote opens and is never closed here
                + "dev-3,Acme,DE,x\n"
                + "dev-4,\"Acme\",DE,x\n"                // line 5: the next quote closes it, 'A' follows
                + "dev-5,Acme,DE,x\n";
        List<ManifestRecord> records = readAll("m.csv", csv);

        assertThat(records).extracting(ManifestRecord::line).containsExactly(2L, 3L, 6L);
        assertThat(records).extracting(ManifestRecord::index).containsExactly(0L, 1L, 2L);
        assertThat(records.get(1).defect()).contains("a quoted value opened on line 3 runs to line 5")
                .contains("lines 3-5 were read as one value");
        assertThat(records.get(2).rawDeviceId()).isEqualTo("dev-5");
        assertThat(records.get(2).defect()).isNull();
        assertThat(ManifestScan.of(dir.resolve("m.csv"), ManifestFormat.CSV).rows()).isEqualTo(3);
    }

    @Test
    void aQuoteLeftOpenThatClosesCleanlyLaterGivesAFieldCountRejectWithTheHint() throws IOException {
        String csv = "device_id,organization,country,common_name\n"
                + "dev-1,\"Acme,DE,x\n"
                + "dev-2,Acme,DE\",x\n"
                + "dev-3,Acme,DE,x\n";
        List<ManifestRecord> records = readAll("m.csv", csv);

        assertThat(records).hasSize(2);
        assertThat(records.get(0).defect()).contains("the row has 3 fields but the header has 4")
                .contains("a quoted value opened on line 2 runs to line 3");
        assertThat(records.get(1).rawDeviceId()).isEqualTo("dev-3");
    }

    @Test
    void crOnlyLineEndingsCountLinesLikeLf() throws IOException {
        List<ManifestRecord> records = readAll("m.csv",
                "device_id,organization\r\rdev-1,Acme\rdev-2,\"Multi\rLine\"\rdev-3,x,y\rdev-4,Acme\r");

        assertThat(records).extracting(ManifestRecord::line).containsExactly(3L, 4L, 6L, 7L);
        assertThat(records.get(1).fields()).containsEntry("organization", "Multi\rLine");
        assertThat(records.get(2).defect()).contains("3 fields");
    }

    @Test
    void utf16WithAndWithoutAByteOrderMarkIsReadLikeUtf8() throws IOException {
        String csv = "device_id,organization\r\ndev-1,Gr\u00fcn AG\r\ndev-2,\u6771\u4eac\r\n";
        String[][] encodings = {{"UTF-16LE", "\uFEFF"}, {"UTF-16BE", "\uFEFF"}, {"UTF-16LE", ""}, {"UTF-16BE", ""}};
        for (String[] encoding : encodings) {
            Path file = Files.write(dir.resolve("m-" + encoding[0] + encoding[1].length() + ".csv"),
                    (encoding[1] + csv).getBytes(Charset.forName(encoding[0])));
            List<ManifestRecord> records = readAll(file);
            assertThat(records).as(file.toString()).extracting(ManifestRecord::rawDeviceId).containsExactly("dev-1", "dev-2");
            assertThat(records.get(0).fields()).containsEntry("organization", "Gr\u00fcn AG");
            assertThat(records.get(1).fields()).containsEntry("organization", "\u6771\u4eac");
            assertThat(records).extracting(ManifestRecord::line).containsExactly(2L, 3L);
        }
        Path jsonl = Files.write(dir.resolve("m.jsonl"), "\uFEFF{\"device_id\":\"dev-1\"}\n".getBytes(StandardCharsets.UTF_16LE));
        assertThat(readAll(jsonl)).extracting(ManifestRecord::rawDeviceId).containsExactly("dev-1");
    }

    @Test
    void excelsUnicodeTextExportIsRefusedWithTheWayToSaveIt() throws IOException {
        Path file = Files.write(dir.resolve("m.csv"),
                "\uFEFFdevice_id\torganization\r\ndev-1\tAcme\r\n".getBytes(StandardCharsets.UTF_16LE));

        assertThatThrownBy(() -> readAll(file)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("separated by tabs").hasMessageContaining("CSV UTF-8");
    }

    @Test
    void twoExportsJoinedReadTheSecondsRowsAndRejectItsHeaderLine() throws IOException {
        String csv = "\uFEFFdevice_id,organization\ndev-1,Acme\n" + "\uFEFFdevice_id,organization\ndev-2,Acme\n"
                + "\uFEFFdev-3,Acme\n";
        List<ManifestRecord> records = readAll("m.csv", csv);

        assertThat(records).extracting(ManifestRecord::line).containsExactly(2L, 3L, 4L, 5L);
        assertThat(records.get(1).defect()).contains("the header line again").contains("two exports joined");
        assertThat(records.get(2).rawDeviceId()).isEqualTo("dev-2");
        assertThat(records.get(3).rawDeviceId()).isEqualTo("dev-3");

        List<ManifestRecord> lines = readAll("m.jsonl", "{\"device_id\":\"dev-1\"}\n\uFEFF{\"device_id\":\"dev-2\"}\n");
        assertThat(lines).extracting(ManifestRecord::rawDeviceId).containsExactly("dev-1", "dev-2");
    }

    @Test
    void aRowLongerThanTheBoundIsRejectedWithItsLinesAndTheNextRowsAreRead() throws IOException {
        Path csv = ManifestFiles.withLongLine(dir.resolve("m.csv"), "device_id,organization\ndev-1,Acme\ndev-2,",
                'x', 3L << 20, "\ndev-3,Acme\n");
        List<ManifestRecord> records = readAll(csv);

        assertThat(records).extracting(ManifestRecord::line).containsExactly(2L, 3L, 4L);
        assertThat(records.get(1).defect()).contains("longer than 1,048,576 characters").contains("lines 3-3");
        assertThat(records.get(2).rawDeviceId()).isEqualTo("dev-3");

        Path jsonl = ManifestFiles.withLongLine(dir.resolve("m.jsonl"), "{\"device_id\":\"dev-1\"}\n{\"device_id\":\"",
                'x', 3L << 20, "\"}\n{\"device_id\":\"dev-3\"}\n");
        List<ManifestRecord> lines = readAll(jsonl);
        assertThat(lines).extracting(ManifestRecord::line).containsExactly(1L, 2L, 3L);
        assertThat(lines.get(1).defect()).contains("over the limit of 1,048,576");
        assertThat(lines.get(2).rawDeviceId()).isEqualTo("dev-3");
        assertThat(ManifestScan.of(jsonl, ManifestFormat.JSONL).rows()).isEqualTo(3);
    }

    @Test
    void gzipManifestsAreReadByNameOrByMagicBytesWithTheSameLinesAndTheFilesOwnHash() throws IOException {
        String csv = "device_id,organization\ndev-1,Acme\n\ndev-2,x,y\ndev-3,Acme\n";
        Path gz = ManifestFiles.gzip(dir.resolve("m.csv.gz"), csv);
        List<ManifestRecord> records = readAll(gz);
        assertThat(records).extracting(ManifestRecord::line).containsExactly(2L, 4L, 5L);
        assertThat(records.get(1).defect()).contains("3 fields");
        assertThat(ManifestScan.of(gz, ManifestFormat.CSV).sha256()).isEqualTo(ManifestScan.sha256(gz))
                .isNotEqualTo(ManifestScan.sha256(Files.writeString(dir.resolve("plain.csv"), csv)));

        Path misnamed = Files.copy(gz, dir.resolve("compressed-but-named.csv"));
        assertThat(readAll(misnamed)).extracting(ManifestRecord::rawDeviceId).containsExactly("dev-1", null, "dev-3");

        Path jsonl = ManifestFiles.gzip(dir.resolve("m.jsonl.gz"), "{\"device_id\":\"dev-1\"}\n{\"device_id\":\"dev-2\"}\n");
        assertThat(readAll(jsonl)).extracting(ManifestRecord::rawDeviceId).containsExactly("dev-1", "dev-2");
    }

    @Test
    void aCutOffGzipStopsTheScanNamingTheLastLineReadAndTheFix() throws IOException {
        StringBuilder csv = new StringBuilder("device_id,organization\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append("dev-").append(i).append(",Acme ").append(Integer.toHexString(i * 7919)).append('\n');
        }
        byte[] whole = ManifestFiles.gzip(csv.toString().getBytes(StandardCharsets.UTF_8));
        Path cut = Files.write(dir.resolve("m.csv.gz"), Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> ManifestScan.of(cut, ManifestFormat.CSV)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("gzip data is damaged or cut off after line")
                .hasMessageContaining("compress the manifest again");

        Path notGzip = Files.write(dir.resolve("bad.csv.gz"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3});
        assertThatThrownBy(() -> readAll(notGzip)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("not readable gzip");
    }

    @Test
    void aPathThatIsNotAManifestFileIsRefusedSayingWhatItIs() throws Exception {
        assertThatThrownBy(() -> ManifestFile.require(dir)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("is a folder");
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        assertThatThrownBy(() -> ManifestFile.require(empty)).hasMessageContaining("is empty (0 bytes)");
        Path fifo = dir.resolve("pipe.csv");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThatThrownBy(() -> ManifestFile.require(fifo)).hasMessageContaining("named pipe")
                .hasMessageContaining("save it to a file first");
        assertThatThrownBy(() -> ManifestFile.require(dir.resolve("missing.csv"))).hasMessageContaining("no such file");
    }
}
