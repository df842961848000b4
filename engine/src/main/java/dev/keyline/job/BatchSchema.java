package dev.keyline.job;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

import javax.sql.DataSource;

import org.springframework.boot.batch.jdbc.autoconfigure.BatchDataSourceScriptDatabaseInitializer;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;

import dev.keyline.ledger.Tables;

/**
 * Spring Batch's own tables, created only when they are missing. Boot's initializer in mode {@code always} (needed:
 * an H2 file database does not count as embedded) runs the schema script on every start, and every CREATE of a
 * table that exists fails: H2 writes each failure with its stack trace to {@code .keyline/ledger.trace.db}, about
 * 26 KB per {@code keyline status}, and PostgreSQL logs each one. Replaces Boot's initializer bean, so the
 * JobRepository still waits for it.
 */
final class BatchSchema extends BatchDataSourceScriptDatabaseInitializer {

    private static final String DEFAULT_TABLE_PREFIX = "BATCH_";

    private final DataSource dataSource;
    private final String instanceTable;

    BatchSchema(DataSource dataSource, BatchJdbcProperties properties) {
        super(dataSource, properties);
        this.dataSource = dataSource;
        // No prefix configured (null) means Spring Batch's own default.
        this.instanceTable = Objects.requireNonNullElse(properties.getTablePrefix(), DEFAULT_TABLE_PREFIX) + "JOB_INSTANCE";
    }

    @Override
    public boolean initializeDatabase() {
        return !exists() && super.initializeDatabase();
    }

    /** Whether the job repository's tables are there, in the connection's own schema. */
    private boolean exists() {
        try (Connection connection = dataSource.getConnection()) {
            return Tables.exists(connection, instanceTable);
        } catch (SQLException e) {
            // Unknown: run the script as before; on an existing schema it fails harmlessly (continue on error).
            return false;
        }
    }
}
