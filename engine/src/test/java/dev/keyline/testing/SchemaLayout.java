package dev.keyline.testing;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

/**
 * The tables of a database's current schema as JDBC's metadata describes them (H2 and PostgreSQL alike), names in lower
 * case: each table's columns with type, size and nullability, its primary key, and its other indexes. Two databases
 * whose layouts are equal have the same schema, whatever order their columns were added in.
 */
public record SchemaLayout(Map<String, Set<String>> columns, Map<String, String> primaryKeys, Set<String> indexes) {

    public static SchemaLayout of(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            Map<String, Set<String>> columns = new TreeMap<>();
            Map<String, String> primaryKeys = new TreeMap<>();
            Set<String> indexes = new TreeSet<>();
            for (String table : tables(c, meta)) {
                String name = lower(table);
                Set<String> described = new TreeSet<>();
                try (ResultSet rs = meta.getColumns(c.getCatalog(), c.getSchema(), table, null)) {
                    while (rs.next()) {
                        described.add(lower(rs.getString("COLUMN_NAME")) + " " + lower(rs.getString("TYPE_NAME")) + "("
                                + rs.getInt("COLUMN_SIZE") + ")" + ("NO".equals(rs.getString("IS_NULLABLE")) ? " not null" : ""));
                    }
                }
                columns.put(name, described);
                Map<Short, String> key = new TreeMap<>();
                try (ResultSet rs = meta.getPrimaryKeys(c.getCatalog(), c.getSchema(), table)) {
                    while (rs.next()) {
                        key.put(rs.getShort("KEY_SEQ"), lower(rs.getString("COLUMN_NAME")));
                    }
                }
                if (!key.isEmpty()) {
                    primaryKeys.put(name, String.join(", ", key.values()));
                }
                indexes.addAll(indexes(c, meta, table));
            }
            return new SchemaLayout(columns, primaryKeys, indexes);
        }
    }

    /** The column names of a table, without their types. */
    public Set<String> columnNames(String table) {
        Set<String> names = new TreeSet<>();
        columns.getOrDefault(table, Set.of()).forEach(c -> names.add(c.substring(0, c.indexOf(' '))));
        return names;
    }

    private static List<String> tables(Connection c, DatabaseMetaData meta) throws SQLException {
        List<String> tables = new ArrayList<>();
        // Any table type: H2 2 calls its tables "BASE TABLE", PostgreSQL "TABLE"; views and indexes are left out below.
        try (ResultSet rs = meta.getTables(c.getCatalog(), c.getSchema(), "%", null)) {
            while (rs.next()) {
                String type = rs.getString("TABLE_TYPE");
                if (type != null && type.toUpperCase(Locale.ROOT).endsWith("TABLE") && !type.toUpperCase(Locale.ROOT).contains("SYSTEM")) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
        }
        return tables;
    }

    /** {@code table.index(columns)}, {@code unique} when it is; not the primary key's (its name differs by database). */
    private static Set<String> indexes(Connection c, DatabaseMetaData meta, String table) throws SQLException {
        Map<String, TreeMap<Short, String>> columns = new TreeMap<>();
        Map<String, Boolean> unique = new TreeMap<>();
        try (ResultSet rs = meta.getIndexInfo(c.getCatalog(), c.getSchema(), table, false, false)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                if (index == null || lower(index).startsWith("primary_key") || lower(index).endsWith("_pkey")) {
                    continue;
                }
                columns.computeIfAbsent(lower(index), k -> new TreeMap<>()).put(rs.getShort("ORDINAL_POSITION"),
                        lower(rs.getString("COLUMN_NAME")));
                unique.put(lower(index), !rs.getBoolean("NON_UNIQUE"));
            }
        }
        Set<String> described = new TreeSet<>();
        columns.forEach((index, cols) -> described.add(lower(table) + "." + index + "(" + String.join(", ", cols.values())
                + ")" + (unique.get(index) ? " unique" : "")));
        return described;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
