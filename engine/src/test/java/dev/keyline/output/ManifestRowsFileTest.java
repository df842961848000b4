package dev.keyline.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows read back as written, whatever their fields' sizes against the reader's and writer's 64 KB buffers (empty
 * fields, a field larger than a buffer, fields that straddle a refill); a file cut short, with another start or with a
 * field claiming more than a row can hold is refused as damaged, never read as fewer rows.
 */
class ManifestRowsFileTest {

    @TempDir
    Path dir;

    @Test
    void rowsOfEverySizeReadBackAsWritten() throws IOException {
        SplittableRandom random = new SplittableRandom(18);
        List<ManifestRowsFile.Row> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int kind = random.nextInt(20);
            rows.add(new ManifestRowsFile.Row(("device-" + i).getBytes(StandardCharsets.US_ASCII),
                    bytes(random, kind == 0 ? 0 : kind == 1 ? 70_000 + random.nextInt(100_000) : random.nextInt(600)),
                    bytes(random, random.nextInt(900)), bytes(random, random.nextInt(3) == 0 ? 0 : random.nextInt(300)),
                    random.nextBoolean() ? null : bytes(random, random.nextInt(40))));
        }
        Path file = dir.resolve("rows" + ManifestRowsFile.EXTENSION);
        try (ManifestRowsFile.Writer out = new ManifestRowsFile.Writer(file)) {
            for (ManifestRowsFile.Row row : rows) {
                out.write(row);
            }
        }
        assertThat(Files.size(file)).as("past many buffers").isGreaterThan(10L << 20);
        try (ManifestRowsFile.Reader in = new ManifestRowsFile.Reader(file)) {
            for (ManifestRowsFile.Row expected : rows) {
                ManifestRowsFile.Row row = in.next();
                assertThat(row).isNotNull();
                assertThat(row.deviceId()).isEqualTo(expected.deviceId());
                assertThat(row.csv()).isEqualTo(expected.csv());
                assertThat(row.json()).isEqualTo(expected.json());
                assertThat(row.sums()).isEqualTo(expected.sums());
                assertThat(row.summaryKey()).isEqualTo(expected.summaryKey());
            }
            assertThat(in.next()).isNull();
            assertThat(in.next()).isNull();
        }
    }

    @Test
    void aFileCutInsideARowIsDamagedWhereverTheCut() throws IOException {
        Path whole = dir.resolve("whole" + ManifestRowsFile.EXTENSION);
        try (ManifestRowsFile.Writer out = new ManifestRowsFile.Writer(whole)) {
            out.write(new ManifestRowsFile.Row("a".getBytes(StandardCharsets.US_ASCII), new byte[70_000], new byte[10],
                    new byte[0], "acct".getBytes(StandardCharsets.US_ASCII)));
            out.write(new ManifestRowsFile.Row("b".getBytes(StandardCharsets.US_ASCII), new byte[5], new byte[5], new byte[0], null));
        }
        byte[] bytes = Files.readAllBytes(whole);
        int firstRowEnd = 5 + 2 + 1 + 4 + 70_000 + 4 + 10 + 4 + 1 + 4 + 4;
        for (int cut : new int[] {6, 7, 9, 100, 65_536, 70_010, firstRowEnd - 1, firstRowEnd + 1, bytes.length - 1}) {
            Path file = dir.resolve("cut-" + cut + ManifestRowsFile.EXTENSION);
            Files.write(file, Arrays.copyOf(bytes, cut));
            try (ManifestRowsFile.Reader in = new ManifestRowsFile.Reader(file)) {
                assertThatThrownBy(() -> {
                    while (in.next() != null) {
                        // read to the cut
                    }
                }).as("cut at %d", cut).isInstanceOf(ManifestRowsFile.DamagedRowsFileException.class)
                        .hasMessageContaining("it ends inside a row");
            }
        }
        Path atRowEnd = dir.resolve("cut-at-row-end" + ManifestRowsFile.EXTENSION);
        Files.write(atRowEnd, Arrays.copyOf(bytes, firstRowEnd));
        try (ManifestRowsFile.Reader in = new ManifestRowsFile.Reader(atRowEnd)) {
            assertThat(new String(in.next().deviceId(), StandardCharsets.US_ASCII)).isEqualTo("a");
            assertThat(in.next()).as("a cut between rows is a shorter file: the ledger's row count catches it").isNull();
        }
    }

    @Test
    void aFileOfAnotherKindOrWithAnImpossibleFieldIsDamaged() throws IOException {
        Path empty = Files.write(dir.resolve("empty.rows"), new byte[0]);
        Path other = Files.write(dir.resolve("other.rows"), "device_id,thing_name\n".getBytes(StandardCharsets.US_ASCII));
        for (Path file : List.of(empty, other)) {
            assertThatThrownBy(() -> new ManifestRowsFile.Reader(file)).isInstanceOf(ManifestRowsFile.DamagedRowsFileException.class)
                    .hasMessageContaining("does not start like a manifest row file");
        }
        byte[] huge = {'K', 'L', 'M', 'R', 1, 0, 1, 'a', 0x7f, 0, 0, 0};
        Path claim = Files.write(dir.resolve("claim.rows"), huge);
        try (ManifestRowsFile.Reader in = new ManifestRowsFile.Reader(claim)) {
            assertThatThrownBy(in::next).isInstanceOf(ManifestRowsFile.DamagedRowsFileException.class)
                    .hasMessageContaining("a field claims 2130706432 bytes");
        }
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }
}
