package dev.keyline.ledger;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;

import dev.keyline.testing.PostgresSchema;

/** {@link RunRowCountContract} on the local PostgreSQL, a schema per database. */
@Tag("full")
class PostgresRunRowCountTest extends RunRowCountContract {

    private final List<PostgresSchema> schemas = new ArrayList<>();

    @Override
    DataSource newDatabase() throws Exception {
        PostgresSchema schema = PostgresSchema.create("keyline_count");
        schemas.add(schema);
        return schema.dataSource();
    }

    @AfterEach
    void dropSchemas() throws Exception {
        for (PostgresSchema schema : schemas) {
            schema.close();
        }
    }
}
