package dev.keyline.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Plain SQL on an output's H2 ledger, opened straight with JDBC (no Keyline class in between), for tests that compare
 * what Keyline shows with what the ledger holds. No process may hold the output.
 */
public final class LedgerSql {

    private LedgerSql() {
    }

    public static Connection open(Path out) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + out.toAbsolutePath().resolve(".keyline/ledger"), "sa", "");
    }

    /** The single number a query answers. */
    public static long number(Path out, String sql) throws SQLException {
        try (Connection c = open(out); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A two-column query as a map: first column to second. */
    public static Map<String, Long> counts(Path out, String sql) throws SQLException {
        Map<String, Long> result = new LinkedHashMap<>();
        try (Connection c = open(out); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getLong(2));
            }
        }
        return result;
    }

    public static void execute(Path out, String... statements) throws SQLException {
        try (Connection c = open(out); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
