package dev.keyline.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger's connection to its database, shared by the stores: statements that join the caller's transaction (the
 * DataSource-bound connection Spring's transaction holds, which is how a chunk's rows commit with the chunk), a
 * transaction of their own where a store needs one, and streamed reads. Thread-safe.
 */
final class LedgerDatabase {

    /** A row of a streamed result; it must not query the ledger (its thread's connection is the one streaming). */
    interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate newTransaction;
    private final TransactionTemplate readTransaction;
    private volatile Boolean h2;

    LedgerDatabase(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        this.newTransaction = new TransactionTemplate(transactions);
        // PostgreSQL streams a result set only inside a transaction; without one it loads every row first.
        this.readTransaction = new TransactionTemplate(transactions);
        this.readTransaction.setReadOnly(true);
    }

    /** Statements here join the caller's transaction, if there is one. */
    JdbcTemplate jdbc() {
        return jdbc;
    }

    /** Runs {@code work} in a transaction, the caller's if there is one. */
    <T> T inTransaction(Supplier<T> work) {
        return newTransaction.execute(status -> work.get());
    }

    void inTransaction(Runnable work) {
        newTransaction.executeWithoutResult(status -> work.run());
    }

    /**
     * Whether the connection is read-only: {@code keyline status} on an output no process uses opens H2 with
     * {@code ACCESS_MODE_DATA=r}, where even a no-op DDL statement is refused.
     */
    boolean readOnly() {
        return Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) c -> c.getMetaData().isReadOnly()));
    }

    boolean isH2() {
        Boolean h2 = this.h2;
        if (h2 == null) {
            h2 = jdbc.execute((ConnectionCallback<Boolean>) c -> "H2".equals(c.getMetaData().getDatabaseProductName()));
            this.h2 = h2;
        }
        return h2;
    }

    /**
     * Runs a query whose rows are handled one at a time, without the database holding the whole result first.
     * PostgreSQL needs a transaction and a fetch size for that. H2 needs lazy execution: without it H2 computes the
     * whole result before the first row, and past {@code MAX_MEMORY_ROWS} writes it to a temporary file and reads it
     * back, which was over half of a 100,000-device export. The setting belongs to the connection, which goes back to
     * the pool afterwards, so it is switched off again.
     */
    void stream(String sql, RowHandler handler, Object... args) {
        readTransaction.executeWithoutResult(status -> {
            JdbcTemplate streaming = new JdbcTemplate(jdbc.getDataSource());
            streaming.setFetchSize(1000);
            if (!isH2()) {
                streaming.query(sql, handler::handle, args);
                return;
            }
            streaming.execute("SET LAZY_QUERY_EXECUTION TRUE");
            try {
                streaming.query(sql, handler::handle, args);
            } finally {
                streaming.execute("SET LAZY_QUERY_EXECUTION FALSE");
            }
        });
    }

    /** What a counting query answers; 0 for no row. */
    long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }
}
