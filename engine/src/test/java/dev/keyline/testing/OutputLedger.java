package dev.keyline.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * An output folder's H2 ledger, read straight from its file with the H2 driver, not through Keyline's own code.
 *
 * <p>While a Keyline process runs, that process owns the file and serves it on a loopback port ({@code AUTO_SERVER}):
 * {@link #whileServed} connects through it, and never creates the database ({@code IFEXISTS}), so a probe made before
 * the run opened its ledger cannot take the file over from it.
 */
public final class OutputLedger {

    private final Path out;

    private OutputLedger(Path out) {
        this.out = out.toAbsolutePath().normalize();
    }

    public static OutputLedger of(Path out) {
        return new OutputLedger(out);
    }

    private Path file() {
        return out.resolve(".keyline").resolve("ledger.mv.db");
    }

    /**
     * Devices committed so far, read through the running process's server; 0 before the ledger exists. Only for a
     * ledger that a live process holds (or none does).
     */
    public long issuedWhileServed() {
        if (!Files.isRegularFile(file())) {
            return 0;
        }
        String url = "jdbc:h2:file:" + out.resolve(".keyline/ledger") + ";AUTO_SERVER=TRUE;IFEXISTS=TRUE";
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM device_identity")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            // Not created yet (the schema comes with the Spring context), or the process is between open and serve.
            return 0;
        }
    }

    /** device id → certificate id of every committed device; for a ledger no process holds. */
    public Map<String, String> certificateIds() throws SQLException {
        Map<String, String> result = new HashMap<>();
        try (Connection c = connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT device_id, certificate_id FROM device_identity")) {
            while (rs.next()) {
                if (result.put(rs.getString(1), rs.getString(2)) != null) {
                    throw new AssertionError("the ledger holds " + rs.getString(1) + " twice");
                }
            }
        }
        return result;
    }

    /** How many committed rows a query counts, e.g. {@code SELECT COUNT(*) FROM bundle_archive}. */
    public long count(String sql, Object... parameters) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A connection to a ledger no process holds. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + out.resolve(".keyline/ledger") + ";IFEXISTS=TRUE", "sa", "");
    }
}
