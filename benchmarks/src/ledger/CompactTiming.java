import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How long closing an uncompacted ledger takes, each way, on a copy of it (the original is left as it is):
 * {@code compact} is what a run does ({@code SHUTDOWN COMPACT}: H2 copies the live pages, LZF-compressed);
 * {@code plain-then-copy} is {@code SHUTDOWN}, then H2's own copy without compression ({@code MVStore.compact(file,
 * false)}). Prints the seconds and the file's size after each, and the identities it still holds.
 * An uncompacted ledger: a run killed once its report is written ({@code wrote the run report} in its log), before
 * the compaction; copy {@code OUT/.keyline/ledger.mv.db}.
 * Usage: {@code java -Xmx256m -Dh2.objectCache=false [-Dh2.compactThreads=N] -cp h2-2.4.240.jar CompactTiming.java
 * LEDGER.mv.db compact|plain-then-copy}
 */
public class CompactTiming {
    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]).toAbsolutePath();
        String mode = args[1];
        Path dir = Files.createTempDirectory(source.getParent(), "compact-timing");
        Path copy = dir.resolve("l.mv.db");
        Files.copy(source, copy);
        String base = dir.resolve("l").toString();
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base + ";WRITE_DELAY=0", "sa", "");
             Statement s = c.createStatement()) {
            System.out.printf("open %.2f s%n", (System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            s.execute(mode.equals("compact") ? "SHUTDOWN COMPACT" : "SHUTDOWN");
        } catch (SQLException closedUnderTheConnection) {
            // SHUTDOWN closes the database the connection belongs to
        }
        System.out.printf("%s %.2f s -> %d bytes%n", mode, (System.nanoTime() - start) / 1e9, Files.size(copy));
        if (mode.equals("plain-then-copy")) {
            start = System.nanoTime();
            org.h2.mvstore.MVStore.compact(copy.toString(), false, null);
            System.out.printf("copy without compression %.2f s -> %d bytes%n", (System.nanoTime() - start) / 1e9,
                    Files.size(copy));
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base + ";ACCESS_MODE_DATA=r", "sa", "");
             ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM device_identity")) {
            r.next();
            System.out.println("identities " + r.getLong(1));
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }
}
