package dev.keyline.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

    @TempDir
    Path dir;

    private List<ManifestRecord> readAll(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        List<ManifestRecord> records = new ArrayList<>();
        try (ManifestReader reader = ManifestReader.open(file, ManifestFormat.of(file, null))) {
            for (ManifestRecord r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
        }
        return records;
    }

    private List<ManifestRecord> readAll(String name, String content) throws IOException {
        return readAll(name, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsCsvWithQuotingCrlfBomAndBlankLinesKeepingSourceLines() throws IOException {
        String csv = "\uFEFFdevice_id,organization,common_name\r\n"
                + "dev-1,\"Acme, Inc.\",one\r\n"
                + "\r\n"
                + "dev-2,\"Multi\nLine\",two\r\n"
                + "dev-3,Plain,\r\n";
        List<ManifestRecord> records = readAll("m.csv", csv);

        assertThat(records).extracting(ManifestRecord::rawDeviceId).containsExactly("dev-1", "dev-2", "dev-3");
        assertThat(records).extracting(ManifestRecord::line).containsExactly(2L, 4L, 6L);
        assertThat(records).extracting(ManifestRecord::index).containsExactly(0L, 1L, 2L);
        assertThat(records.get(0).fields()).containsEntry("organization", "Acme, Inc.");
        assertThat(records.get(1).fields()).containsEntry("organization", "Multi\nLine");
        assertThat(records.get(2).fields()).doesNotContainKey("common_name");
    }

    @Test
    void rowWithWrongFieldCountIsDefectiveNotFatal() throws IOException {
        List<ManifestRecord> records = readAll("m.csv", "device_id,organization\ndev-1,Acme,extra\ndev-2,Acme\n");

        assertThat(records).hasSize(2);
        assertThat(records.get(0).defect()).contains("3 fields but the header has 2");
        assertThat(records.get(0).line()).isEqualTo(2);
        assertThat(records.get(1).defect()).isNull();
    }

    @Test
    void unknownCsvColumnStopsBeforeAnyRowNamingItAndTheKnownOnes() {
        assertThatThrownBy(() -> readAll("m.csv", "device_id,colour\ndev-1,red\n"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("unknown column 'colour'")
                .hasMessageContaining("device_id, common_name, country");
    }

    @Test
    void csvWithoutDeviceIdColumnIsRefused() {
        assertThatThrownBy(() -> readAll("m.csv", "common_name\nx\n"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("no device_id column");
    }

    @Test
    void rowWithBytesThatAreNotUtf8IsRejectedAndTheOthersAreRead() throws IOException {
        byte[] latin1 = "device_id,organization\ndev-1,Ger\u00e4t\ndev-2,Acme\n".getBytes(StandardCharsets.ISO_8859_1);
        List<ManifestRecord> records = readAll("m.csv", latin1);

        assertThat(records).hasSize(2);
        assertThat(records.get(0).defect()).contains("not valid UTF-8").contains("save the manifest as UTF-8");
        assertThat(records.get(1).defect()).isNull();
        assertThat(records.get(1).fields()).containsEntry("organization", "Acme");
    }

    @Test
    void readsJsonLinesWithListsAndAttributeObjects() throws IOException {
        String jsonl = "{\"device_id\":\"dev-1\",\"san_dns\":[\"a.example\",\"b.example\"],\"attributes\":{\"model\":\"x1\",\"rev\":2}}\n"
                + "\n"
                + "{\"device_id\":\"dev-2\",\"colour\":\"red\"}\n"
                + "not json\n"
                + "{\"device_id\":\"dev-4\",\"country\":\"DE\"}";
        List<ManifestRecord> records = readAll("m.jsonl", jsonl);

        assertThat(records).extracting(ManifestRecord::line).containsExactly(1L, 3L, 4L, 5L);
        assertThat(records.get(0).fields()).containsEntry("san_dns", "a.example;b.example")
                .containsEntry("attributes", "model=x1;rev=2");
        assertThat(records.get(1).defect()).contains("unknown key 'colour'").contains("device_id, common_name");
        assertThat(records.get(2).defect()).contains("not valid JSON");
        assertThat(records.get(3).fields()).containsEntry("country", "DE");
    }

    @Test
    void skipToResumesAtTheGivenRow() throws IOException {
        Path file = dir.resolve("m.csv");
        Files.writeString(file, "device_id\na\n\nb\nc\nd\n");
        try (ManifestReader reader = ManifestReader.open(file, ManifestFormat.CSV)) {
            reader.skipTo(2);
            ManifestRecord r = reader.next();
            assertThat(r.rawDeviceId()).isEqualTo("c");
            assertThat(r.index()).isEqualTo(2);
            assertThat(r.line()).isEqualTo(5);
        }
    }

    @Test
    void formatComesFromOptionOrFileName() {
        assertThat(ManifestFormat.of(Path.of("x.CSV"), null)).isEqualTo(ManifestFormat.CSV);
        assertThat(ManifestFormat.of(Path.of("x.jsonl"), null)).isEqualTo(ManifestFormat.JSONL);
        assertThat(ManifestFormat.of(Path.of("x.txt"), "jsonl")).isEqualTo(ManifestFormat.JSONL);
        assertThatThrownBy(() -> ManifestFormat.of(Path.of("x.txt"), null)).hasMessageContaining("--manifest-format");
    }
}
