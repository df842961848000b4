package dev.keyline.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import java.nio.file.Path;

/**
 * An output's H2 ledger read straight with the H2 driver, not through Keyline. AUTO_SERVER=TRUE, as Keyline opens it:
 * while a run holds the file, the connection goes through that process's server.
 */
public final class LedgerFile {

    /** H2's error code for a table that does not exist (yet). */
    private static final int TABLE_NOT_FOUND = 42102;
    /** H2's "table not found (this database is empty)": the run's process has opened the file, not yet made a table. */
    private static final int TABLE_NOT_FOUND_DATABASE_EMPTY = 42104;
    /** H2's "Table X not found (candidates are: X)": the table's creation has not committed yet. */
    private static final int TABLE_NOT_FOUND_WITH_CANDIDATES = 42103;
    /** H2's "General error: ..." (an exception inside H2). */
    private static final int GENERAL_ERROR = 50000;

    private LedgerFile() {
    }

    /** Identities committed in the output, or 0 before the ledger has its table. */
    public static long identities(Path out) throws SQLException {
        if (!java.nio.file.Files.exists(out.resolve(".keyline/ledger.mv.db"))) {
            return 0;
        }
        try (Connection c = open(out);
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM device_identity")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            // While a run starts, its ledger may not have the table yet.
            if (e.getErrorCode() == TABLE_NOT_FOUND || e.getErrorCode() == TABLE_NOT_FOUND_DATABASE_EMPTY
                    || e.getErrorCode() == TABLE_NOT_FOUND_WITH_CANDIDATES || duringSchemaCreation(e)) {
                return 0;
            }
            throw e;
        }
    }

    /**
     * H2's "General error: java.util.ConcurrentModificationException", seen once in 5 runs of RunsAndExecutionsTest
     * (2026-12-07) by this count while a run was writing the ledger: an exception inside H2 from a structure another
     * session changed under it (the report kept no stack trace to say which). The probes that call this poll until a
     * count is reached, so it counts as not yet and they ask again; any other failure still fails the test.
     */
    private static boolean duringSchemaCreation(SQLException e) {
        return e.getErrorCode() == GENERAL_ERROR && String.valueOf(e.getMessage()).contains("ConcurrentModificationException");
    }

    /**
     * Identities committed by the process that serves the ledger now, read through its server; 0 while no process
     * serves it (no lock file naming a server yet) or the ledger cannot be read yet. A probe that opened the file
     * before the process serves it would take the file's lock and make that process fail ("Locked by another
     * process"), so it waits for the lock file to name the server. After a kill, the dead process's lock file names a
     * server too: tell the new one's apart first (KillSoakTest does).
     */
    public static long identitiesWhileServed(Path out) {
        try {
            String lock = java.nio.file.Files.readString(out.resolve(".keyline/ledger.lock.db"),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            return lock.contains("server=") ? identities(out) : 0;
        } catch (java.io.IOException | SQLException notYet) {
            return 0;
        }
    }

    /** device id -> certificate id of every identity committed; fails on a device with two rows. */
    public static Map<String, String> certificateIds(Path out) throws SQLException {
        Map<String, String> result = new HashMap<>();
        try (Connection c = open(out);
             ResultSet rs = c.createStatement().executeQuery("SELECT device_id, certificate_id FROM device_identity")) {
            while (rs.next()) {
                if (result.put(rs.getString(1), rs.getString(2)) != null) {
                    throw new AssertionError(rs.getString(1) + " has two rows in the ledger");
                }
            }
        }
        return result;
    }

    /** What a counting query over the output's database answers, e.g. {@code SELECT COUNT(*) FROM bundle_archive}. */
    public static long count(Path out, String sql, Object... parameters) throws SQLException {
        try (Connection c = open(out); java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A connection to the output's database (ledger and job repository), for what the methods here do not read. */
    public static Connection open(Path out) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + out.toAbsolutePath().normalize().resolve(".keyline/ledger")
                + ";AUTO_SERVER=TRUE", "sa", "");
    }
}
