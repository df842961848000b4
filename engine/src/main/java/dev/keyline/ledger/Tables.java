package dev.keyline.ledger;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/** Whether a database has a table, asked before creating or reading it, so that no statement fails on purpose. */
public final class Tables {

    private Tables() {
    }

    /**
     * Whether the table is in the connection's own schema (PostgreSQL's {@code currentSchema}). H2 keeps unquoted
     * names in upper case, PostgreSQL in lower case; any table type (H2 2 calls its tables "BASE TABLE", PostgreSQL
     * "TABLE").
     */
    public static boolean exists(Connection connection, String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        for (String name : new String[] {table.toUpperCase(Locale.ROOT), table.toLowerCase(Locale.ROOT)}) {
            try (ResultSet tables = meta.getTables(connection.getCatalog(), connection.getSchema(), name, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
