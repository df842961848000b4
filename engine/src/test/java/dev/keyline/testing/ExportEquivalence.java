package dev.keyline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.keyline.ledger.Ledger;
import dev.keyline.output.OutputExporter;

/**
 * The output manifest merged from the workers' manifest row files against the one read back from the ledger, as the
 * export wrote it before the row files: the same bytes, file by file.
 */
public final class ExportEquivalence {

    private static final List<String> FILES = List.of(OutputExporter.MANIFEST_CSV, OutputExporter.MANIFEST_JSONL,
            OutputExporter.SHA256SUMS);

    private ExportEquivalence() {
    }

    /**
     * Exports the output from its row files (which must cover it) into {@code out}, and from the ledger into
     * {@code elsewhere}, and compares them; the files the run itself wrote, when {@code manifest.csv} is there, must be those too.
     *
     * @return how many identities the manifest holds
     */
    public static long assertRowFilesGiveTheLedgersExport(Ledger ledger, Path out, String outputId, Path elsewhere) {
        List<byte[]> byTheRun = Files.exists(out.resolve(OutputExporter.MANIFEST_CSV)) ? read(out) : null;
        long fromRows = new OutputExporter(ledger, out).exportIssuedFromRowFiles(outputId);
        List<byte[]> merged = read(out);
        try {
            Files.createDirectories(elsewhere);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long fromLedger = new OutputExporter(ledger, elsewhere).exportIssuedFromLedger(outputId);
        List<byte[]> read = read(elsewhere);
        assertThat(fromRows).isEqualTo(fromLedger);
        for (int i = 0; i < FILES.size(); i++) {
            assertThat(new String(merged.get(i), java.nio.charset.StandardCharsets.UTF_8)).as(FILES.get(i))
                    .isEqualTo(new String(read.get(i), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(merged.get(i)).as(FILES.get(i) + ", byte for byte").isEqualTo(read.get(i));
            if (byTheRun != null) {
                assertThat(new String(byTheRun.get(i), java.nio.charset.StandardCharsets.UTF_8)).as(FILES.get(i) + " as the run wrote it")
                        .isEqualTo(new String(merged.get(i), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return fromRows;
    }

    /** As {@link #assertRowFilesGiveTheLedgersExport(Ledger, Path, String, Path)}, on an output no process holds. */
    public static long assertRowFilesGiveTheLedgersExport(Path out, Path elsewhere) throws java.sql.SQLException {
        try (java.sql.Connection c = LedgerFile.open(out)) {
            Ledger ledger = Ledger.open(new org.springframework.jdbc.datasource.SingleConnectionDataSource(c, true));
            String outputId;
            try (java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT DISTINCT output_id FROM device_identity")) {
                assertThat(rs.next()).as("the output holds identities").isTrue();
                outputId = rs.getString(1);
                assertThat(rs.next()).as("one output in the ledger").isFalse();
            }
            return assertRowFilesGiveTheLedgersExport(ledger, out, outputId, elsewhere);
        }
    }

    private static List<byte[]> read(Path folder) {
        return FILES.stream().map(f -> {
            try {
                return Files.readAllBytes(folder.resolve(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }
}
