package dev.keyline.ledger;

import java.nio.file.Path;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.io.TempDir;

/** {@link IndexedRowCountContract} on an H2 file, as an output's ledger. */
class H2IndexedRowCountTest extends IndexedRowCountContract {

    @TempDir
    Path dir;
    private int databases;

    @Override
    DataSource newDatabase() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("ledger" + databases++));
        dataSource.setUser("sa");
        return dataSource;
    }
}
