package dev.keyline.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.keyline.testing.PostgresSchema;
import dev.keyline.testing.PostgresSchemas;
import dev.keyline.testing.SchemaLayout;

/**
 * The ledger's migrations on the local PostgreSQL, a schema per database; and two processes that open one new
 * ledger at once, as remote workers do.
 */
@Tag("full")
class PostgresLedgerSchemaTest extends LedgerSchemaContract {

    private final PostgresSchemas schemas = new PostgresSchemas("keyline_ledger");

    @Override
    DataSource newDatabase() throws Exception {
        return schemas.create().dataSource();
    }

    @AfterEach
    void dropSchemas() throws Exception {
        schemas.close();
    }

    @Test
    void twoMigratorsStartingTogetherApplyEachMigrationOnce() throws Exception {
        newDatabase();
        PostgresSchema schema = schemas.get(0);
        String migrators = "migrator-" + schema.name();
        ExecutorService two = Executors.newFixedThreadPool(2);
        try (Connection holder = DriverManager.getConnection(schema.url())) {
            // Held here, the migration lock makes both wait at the same point; released, they race for it.
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + LedgerSchema.LOCK_KEY + ")");
            }
            List<Future<SchemaVersion>> opened = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                opened.add(two.submit(() -> Ledger.open(new DriverManagerDataSource(schema.url(migrators))).schema()));
            }
            awaitWaitingForTheLock(migrators, 2, opened);
            holder.rollback();
            for (Future<SchemaVersion> f : opened) {
                assertThat(f.get(2, TimeUnit.MINUTES)).isEqualTo(new SchemaVersion(LedgerSchema.latest(), LedgerSchema.latest()));
            }
        } finally {
            two.shutdownNow();
        }
        DataSource db = schema.dataSource();
        assertThat(new JdbcTemplate(db).queryForList("SELECT version FROM keyline_schema_version ORDER BY version",
                Integer.class)).isEqualTo(java.util.stream.IntStream.rangeClosed(1, LedgerSchema.latest()).boxed().toList());
        assertThat(SchemaLayout.of(db).columns().keySet()).isEqualTo(TABLES.keySet());
    }

    /** Until {@code count} connections named {@code application} wait for the migration lock. */
    private static void awaitWaitingForTheLock(String application, int count, List<Future<SchemaVersion>> opened)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int waiting = 0;
        try (Connection c = DriverManager.getConnection(PostgresSchema.SERVER);
             PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                     + " WHERE l.locktype = 'advisory' AND NOT l.granted AND a.application_name = ?")) {
            q.setString(1, application);
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = q.executeQuery()) {
                    rs.next();
                    waiting = rs.getInt(1);
                }
                if (waiting == count) {
                    return;
                }
                for (Future<SchemaVersion> f : opened) {
                    if (f.isDone()) {
                        throw new AssertionError("a migrator ended while the lock was held: " + f.get());
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError(waiting + " of " + count + " migrators waited for the lock within 2 minutes");
    }
}
