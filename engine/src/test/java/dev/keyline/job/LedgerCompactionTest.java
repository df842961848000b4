package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * When the end of a writing command rewrites an H2 ledger: on real H2 files, one that holds mostly live pages (rows
 * inserted once, as a run leaves them: 87% live) and one that holds mostly dead ones (every row rewritten five times:
 * 13% live), far from the threshold on either side.
 */
class LedgerCompactionTest {

    private static final int ROWS = 20_000;

    @TempDir
    Path dir;

    @Test
    void aFileOfMostlyLivePagesIsLeftAsItIs() throws Exception {
        Path file = dir.resolve("live.mv.db");
        try (Connection open = database("live", 0)) {
            DataSource ledger = dataSource("live");
            assertThat(LedgerCompaction.livePercent(ledger)).isPresent();
            assertThat(LedgerCompaction.livePercent(ledger).getAsInt()).isGreaterThan(70);

            LedgerCompaction.compactIfWorthIt(ledger);
            assertThat(open.isValid(5)).as("the database is still open").isTrue();
        }
        long left = Files.size(file);
        shutdownCompact("live");
        assertThat(Files.size(file)).as("a full compaction after it").isLessThan(left * 3 / 4);
    }

    @Test
    void aFileOfMostlyDeadPagesIsRewrittenToItsLiveSize() throws Exception {
        Path file = dir.resolve("dead.mv.db");
        long before;
        try (Connection open = database("dead", 5)) {
            DataSource ledger = dataSource("dead");
            before = Files.size(file);
            assertThat(LedgerCompaction.livePercent(ledger)).isPresent();
            assertThat(LedgerCompaction.livePercent(ledger).getAsInt()).isLessThan(30);

            LedgerCompaction.compactIfWorthIt(ledger);
            assertThat(open.isValid(5)).as("the compaction shut the database down").isFalse();
        }

        long compacted = Files.size(file);
        assertThat(compacted).isLessThan(before / 4);
        shutdownCompact("dead");
        assertThat(Files.size(file)).as("a second full compaction finds nothing more").isGreaterThan(compacted * 9 / 10);
        try (Connection c = DriverManager.getConnection(url("dead"), "sa", "");
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(ROWS);
        }
    }

    @Test
    void theLineIsHalfTheFileLive() {
        assertThat(LedgerCompaction.worthIt(0)).isTrue();
        assertThat(LedgerCompaction.worthIt(49)).isTrue();
        assertThat(LedgerCompaction.worthIt(50)).isFalse();
        assertThat(LedgerCompaction.worthIt(100)).isFalse();
    }

    /**
     * Rows inserted in commits of 500, as a run's chunks insert them, then each rewritten {@code rewrites} times; the
     * connection is left open, as the command's pool holds the ledger open until it ends (H2's own close compacts the
     * file for a while, and would hide what the run left).
     */
    private Connection database(String name, int rewrites) throws SQLException {
        Connection c = DriverManager.getConnection(url(name) + ";WRITE_DELAY=0", "sa", "");
        try {
            c.createStatement().execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(200))");
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?)");
                 PreparedStatement update = c.prepareStatement("UPDATE t SET v = ? WHERE id = ?")) {
                for (int i = 0; i < ROWS; i++) {
                    insert.setLong(1, i);
                    insert.setString(2, "value-" + i + "-".repeat(100));
                    insert.addBatch();
                    if (i % 500 == 499) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
                for (int round = 0; round < rewrites; round++) {
                    for (int i = 0; i < ROWS; i++) {
                        update.setString(1, "round-" + round + "-" + i + "-".repeat(100));
                        update.setLong(2, i);
                        update.addBatch();
                        if (i % 500 == 499) {
                            update.executeBatch();
                            c.commit();
                        }
                    }
                }
            }
            c.setAutoCommit(true);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private DataSource dataSource(String name) {
        return new DriverManagerDataSource(url(name), "sa", "");
    }

    private void shutdownCompact(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(name), "sa", ""); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN COMPACT");
        }
    }

    private String url(String name) {
        return "jdbc:h2:file:" + dir.resolve(name).toAbsolutePath();
    }
}
