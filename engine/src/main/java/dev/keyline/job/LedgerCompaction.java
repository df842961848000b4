package dev.keyline.job;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an embedded H2 ledger is rewritten to its live size when a writing command ends ({@code SHUTDOWN COMPACT}),
 * and the rewrite itself.
 *
 * <p>H2 does not reclaim a file's dead pages while a run writes: each chunk's commit appends pages. What a run leaves
 * is mostly live, though: after 100,000 and 1,000,000 devices 69% and 76% of the file's chunks were live pages
 * ({@code info.CHUNKS_FILL_RATE}). {@code SHUTDOWN COMPACT} copies every live page into a new file with LZF
 * compression, single-threaded, after the job: 9.5 s of a million-device command that took 74 s, for a file of 0.56
 * GB instead of 1.15 GB. The disk must hold the larger size anyway, at the run's peak. So the rewrite is kept for a
 * ledger that is mostly dead pages, which many small commits (a small {@code --chunk-size}), many restarts or
 * registrations leave: below half live, the file is more than twice what it holds and the rewrite pays for its time.
 * H2's own close does not compact: {@link Database#embedded} sets its {@code MAX_COMPACT_TIME} to 0 (the default of 200
 * ms was a 100,000-device command's slowest tail and left the file no smaller); {@code SHUTDOWN COMPACT} is not bound
 * by it.
 */
final class LedgerCompaction {

    private static final Logger log = LoggerFactory.getLogger(LedgerCompaction.class);

    /** Below this share of live pages in the file's chunks (percent), the ledger is rewritten. */
    static final int LIVE_PERCENT_BELOW = 50;

    private LedgerCompaction() {
    }

    /** Whether a ledger whose file's chunks hold {@code livePercent} percent of live pages is rewritten. */
    static boolean worthIt(int livePercent) {
        return livePercent < LIVE_PERCENT_BELOW;
    }

    /**
     * Rewrites the ledger if it is mostly dead pages (or H2 cannot tell how full it is); otherwise leaves it for the
     * pool's close, which shuts H2 down as usual.
     */
    static void compactIfWorthIt(DataSource dataSource) {
        OptionalInt live = livePercent(dataSource);
        if (live.isPresent() && !worthIt(live.getAsInt())) {
            log.info("the ledger is not compacted: {}% of its file is live pages (compacted below {}%)",
                    live.getAsInt(), LIVE_PERCENT_BELOW);
            return;
        }
        log.info("compacting the ledger: {} of its file is live pages",
                live.isPresent() ? live.getAsInt() + "%" : "an unknown share");
        compact(dataSource);
    }

    /** H2's share of live pages in the file's chunks, in percent; empty when it does not say. */
    static OptionalInt livePercent(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = 'info.CHUNKS_FILL_RATE'")) {
            return rs.next() ? OptionalInt.of(Integer.parseInt(rs.getString(1).trim())) : OptionalInt.empty();
        } catch (SQLException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * {@code SHUTDOWN COMPACT}. After it the database is closed under the pooled connection, and handing it back to the
     * pool (which resets it) fails with "Database is already closed": that failure used to be reported as a failed
     * compaction after every run. So the connection is evicted from the pool instead, and only a failure of the
     * statement itself is reported.
     */
    static void compact(DataSource dataSource) {
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN COMPACT");
            }
        } catch (SQLException e) {
            // The ledger is intact, only larger than it needs to be; a later writing command may compact it.
            log.warn("could not compact the ledger: {}", e.getMessage());
        } finally {
            if (connection != null) {
                discard(dataSource, connection);
            }
        }
    }

    private static void discard(DataSource dataSource, Connection connection) {
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                dataSource.unwrap(HikariDataSource.class).evictConnection(connection);
            } else {
                connection.close();
            }
        } catch (SQLException | RuntimeException ignored) {
            // the database is shut down either way; nothing of the ledger depends on this connection any more
        }
    }
}
