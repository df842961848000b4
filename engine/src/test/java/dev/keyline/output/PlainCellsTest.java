package dev.keyline.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;

import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;

/**
 * Wherever {@link PlainCells#asciiIfPlain} says a row is plain, its CSV and JSON are the bytes the CSV printer and the JSON
 * generator give; random rows over an alphabet of plain and special characters, so that both kinds of row come up.
 */
class PlainCellsTest {

    private static final String ALPHABET = "aZ09-._:/+=@ ,\"\\#\n\r\t'é€{}[];!$%&*()<>?|~^`\u0000\u001f\u007f\u2028";

    @Test
    void plainRowsReadAsThePrinterAndTheGeneratorWriteThem() throws Exception {
        SplittableRandom random = new SplittableRandom(18);
        StringBuilder csvText = new StringBuilder();
        CSVPrinter printer = new CSVPrinter(csvText, OutputExporter.CSV);
        JsonObjectText json = new JsonObjectText();
        String[] names = ManifestRow.COLUMNS;
        SerializableString[] serializedNames = Arrays.stream(names).map(SerializedString::new).toArray(SerializableString[]::new);
        byte[][] nameOctets = PlainCells.asciiIfPlain(names);
        assertThat(nameOctets).as("the columns' names are plain").isNotNull();
        int plain = 0;
        int other = 0;
        for (int n = 0; n < 50_000; n++) {
            String[] cells = row(random, names.length);
            csvText.setLength(0);
            printer.printRecord((Object[]) cells);
            String object = json.of(serializedNames, cells);
            byte[][] octets = PlainCells.asciiIfPlain(cells);
            if (octets != null) {
                plain++;
                assertThat(new String(PlainCells.csv(octets), StandardCharsets.UTF_8) + "\n").as(Arrays.toString(cells))
                        .isEqualTo(csvText.toString());
                assertThat(new String(PlainCells.jsonWithoutClose(nameOctets, octets), StandardCharsets.UTF_8) + "}")
                        .as(Arrays.toString(cells)).isEqualTo(object);
            } else {
                other++;
            }
        }
        assertThat(plain).as("plain rows").isGreaterThan(5_000);
        assertThat(other).as("rows with a special character").isGreaterThan(5_000);
    }

    @Test
    void aTypicalRowIsPlain() {
        String[] cells = {"device-0000001", "device-0000001", "af06e6bc7b8c741d1a7be8e4ad3854005395712ada58b3cd8b15559fdf3dadd7",
            "47e802c9996f340502902d8d5dc5908511740d4d", "af06e6bc7b8c741d1a7be8e4ad3854005395712ada58b3cd8b15559fdf3dadd7",
            "2026-12-07T01:19:40Z", "2036-12-04T01:24:40Z", "ec-p256", "BUNDLE", "bundles/device-0000001.tar",
            "device-0000001/", "ISSUED"};
        assertThat(PlainCells.asciiIfPlain(cells)).isNotNull();
        cells[1] = "Line 3, bay 2";
        assertThat(PlainCells.asciiIfPlain(cells)).isNull();
        cells[1] = "";
        assertThat(PlainCells.asciiIfPlain(cells)).as("an empty cell after the first").isNotNull();
        cells[0] = "";
        assertThat(PlainCells.asciiIfPlain(cells)).as("an empty first cell, which the printer quotes").isNull();
    }

    /**
     * Cells of plain characters (sometimes empty, sometimes starting with a mark), and in half of the rows one
     * character of the whole alphabet put somewhere into one cell: its start, its middle or its end.
     */
    private static String[] row(SplittableRandom random, int size) {
        String plain = "abcXYZ0189-._:/+=@";
        String[] cells = new String[size];
        for (int i = 0; i < size; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(12);
            for (int j = 0; j < length; j++) {
                s.append(plain.charAt(random.nextInt(j == 0 && random.nextInt(20) > 0 ? 10 : plain.length())));
            }
            cells[i] = s.toString();
        }
        if (random.nextBoolean()) {
            int i = random.nextInt(size);
            int at = random.nextInt(cells[i].length() + 1);
            cells[i] = cells[i].substring(0, at) + ALPHABET.charAt(random.nextInt(ALPHABET.length())) + cells[i].substring(at);
        }
        return cells;
    }
}
