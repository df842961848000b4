import java.nio.file.Path;

import org.h2.jdbcx.JdbcDataSource;

import dev.keyline.ledger.Ledger;
import dev.keyline.output.OutputExporter;

/**
 * The output manifest of one finished output written both ways, alternated in one JVM: merged from the chunks' manifest
 * row files, and read back from the ledger (the export before them). Prints each pass's seconds, then the medians.
 * Usage (the engine's exec jar extracted with {@code java -Djarmode=tools -jar keyline...-exec.jar extract --destination X}):
 * {@code java -Xmx256m -Dh2.objectCache=false -cp 'X/keyline-engine-0.1.0-SNAPSHOT-exec.jar:X/lib/*' ExportTiming.java OUT ROUNDS}
 */
public class ExportTiming {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]).toAbsolutePath();
        int rounds = Integer.parseInt(args[1]);
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:file:" + out.resolve(".keyline/ledger") + ";WRITE_DELAY=0");
        h2.setUser("sa");
        Ledger ledger = Ledger.open(h2);
        String outputId;
        try (var c = h2.getConnection(); var rs = c.createStatement().executeQuery("SELECT DISTINCT output_id FROM device_identity")) {
            rs.next();
            outputId = rs.getString(1);
        }
        OutputExporter exporter = new OutputExporter(ledger, out);
        double[] rows = new double[rounds];
        double[] fromLedger = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            long n = exporter.exportIssuedFromRowFiles(outputId);
            long t1 = System.nanoTime();
            exporter.exportIssuedFromLedger(outputId);
            long t2 = System.nanoTime();
            rows[i] = (t1 - t0) / 1e9;
            fromLedger[i] = (t2 - t1) / 1e9;
            System.out.printf("round %d: %d rows, row files %.2f s, ledger %.2f s%n", i + 1, n, rows[i], fromLedger[i]);
        }
        java.util.Arrays.sort(rows);
        java.util.Arrays.sort(fromLedger);
        System.out.printf("median: row files %.2f s, ledger %.2f s, ratio %.2f; load %s%n", rows[rounds / 2],
                fromLedger[rounds / 2], fromLedger[rounds / 2] / rows[rounds / 2],
                java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
    }
}
