package dev.keyline.testing;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The schemas a test made with {@link PostgresSchema#create}, dropped together: for contract tests whose
 * {@code newDatabase()} may be called several times in one test.
 */
public final class PostgresSchemas implements AutoCloseable {

    private final String prefix;
    private final List<PostgresSchema> made = new ArrayList<>();

    public PostgresSchemas(String prefix) {
        this.prefix = prefix;
    }

    /** A new, empty schema, dropped by {@link #close()}. */
    public PostgresSchema create() throws SQLException {
        PostgresSchema schema = PostgresSchema.create(prefix);
        made.add(schema);
        return schema;
    }

    /** The {@code index}-th schema made (0 is the first). */
    public PostgresSchema get(int index) {
        return made.get(index);
    }

    @Override
    public void close() throws SQLException {
        for (PostgresSchema schema : made) {
            schema.close();
        }
        made.clear();
    }
}
