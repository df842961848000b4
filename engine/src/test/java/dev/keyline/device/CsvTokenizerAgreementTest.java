package dev.keyline.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * The tokenizer replaced Commons CSV for manifests; a manifest Commons CSV read must read the same, and one it
 * could not read must give a defective row instead of an exception. Checked on random short texts over the
 * characters that matter (delimiter, quote, CR, LF, blanks), with a fixed seed so a failure repeats.
 */
class CsvTokenizerAgreementTest {

    private static final CSVFormat COMMONS = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).get();

    @Test
    void readsWhatCommonsCsvReadsAndFlagsWhatItRefuses() throws IOException {
        Random random = new Random(20261206);
        String alphabet = "ab,\"\n\r \t";
        int compared = 0;
        int refused = 0;
        for (int n = 0; n < 50_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(20); i > 0; i--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            List<List<String>> expected = commons(text.toString());
            List<List<String>> actual = new ArrayList<>();
            boolean defect = false;
            CsvTokenizer tokenizer = new CsvTokenizer(new StringReader(text.toString()), 1000);
            for (CsvTokenizer.Row row = tokenizer.next(); row != null; row = tokenizer.next()) {
                defect |= row.defect() != null;
                actual.add(row.values());
            }
            String shown = text.toString().replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
            if (expected == null) {
                refused++;
                assertThat(defect).as("Commons CSV refuses [%s]; a row must be defective", shown).isTrue();
            } else {
                compared++;
                assertThat(defect).as("[%s] reads without a defect", shown).isFalse();
                assertThat(actual).as("[%s]", shown).isEqualTo(expected);
            }
        }
        assertThat(compared).isGreaterThan(20_000);
        assertThat(refused).isGreaterThan(5_000);
    }

    /** The records Commons CSV reads, or null when it throws. */
    private static List<List<String>> commons(String text) throws IOException {
        List<List<String>> records = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), COMMONS)) {
            for (CSVRecord record : parser) {
                records.add(record.toList());
            }
            return records;
        } catch (UncheckedIOException | IllegalStateException e) {
            return null;
        }
    }
}
