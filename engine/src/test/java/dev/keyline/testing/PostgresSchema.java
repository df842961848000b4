package dev.keyline.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A schema of its own on the local PostgreSQL (127.0.0.1:5432, database test, trust auth), dropped with everything in
 * it on close, so a test neither sees nor leaves tables of another.
 */
public final class PostgresSchema implements AutoCloseable {

    public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private final String name;

    private PostgresSchema(String name) {
        this.name = name;
    }

    /** @param prefix what the schema's name starts with, to tell whose it is when one is left behind */
    public static PostgresSchema create(String prefix) throws SQLException {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + name);
        }
        return new PostgresSchema(name);
    }

    public String name() {
        return name;
    }

    /** The JDBC URL whose connections work in this schema, as {@code --db} takes it. */
    public String url() {
        return SERVER + "&currentSchema=" + name;
    }

    /** As {@link #url()}, with connections named {@code application} (pg_stat_activity shows it). */
    public String url(String application) {
        return url() + "&ApplicationName=" + application;
    }

    /** A new connection per use, as a pool would hand them out. */
    public DataSource dataSource() {
        return new DriverManagerDataSource(url());
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + name + " CASCADE");
        }
    }
}
