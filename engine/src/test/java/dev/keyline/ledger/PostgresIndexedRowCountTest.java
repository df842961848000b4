package dev.keyline.ledger;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;

import dev.keyline.testing.PostgresSchemas;

/** {@link IndexedRowCountContract} on the local PostgreSQL, a schema per database. */
@Tag("full")
class PostgresIndexedRowCountTest extends IndexedRowCountContract {

    private final PostgresSchemas schemas = new PostgresSchemas("keyline_count");

    @Override
    DataSource newDatabase() throws Exception {
        return schemas.create().dataSource();
    }

    @AfterEach
    void dropSchemas() throws Exception {
        schemas.close();
    }
}
