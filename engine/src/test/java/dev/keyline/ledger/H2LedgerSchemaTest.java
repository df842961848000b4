package dev.keyline.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.SchemaLayout;

/** The ledger's migrations on H2 files, as an output's embedded ledger; and an earlier ledger opened read-only. */
class H2LedgerSchemaTest extends LedgerSchemaContract {

    @TempDir
    Path dir;
    private int databases;

    @Override
    DataSource newDatabase() {
        return h2("jdbc:h2:file:" + dir.resolve("ledger-" + ++databases));
    }

    @Test
    void anEarlierLedgerOpenedReadOnlyIsReadAsItIsAndSaysItIsBehind() throws Exception {
        earlierLedger("first-ledger.sql");
        DataSource readOnly = h2("jdbc:h2:file:" + dir.resolve("ledger-" + databases) + ";ACCESS_MODE_DATA=r");
        SchemaLayout before = SchemaLayout.of(readOnly);

        Ledger ledger = Ledger.open(readOnly);

        assertThat(ledger.schema()).isEqualTo(new SchemaVersion(0, LedgerSchema.latest()));
        assertThat(ledger.schema().behind()).hasValueSatisfying(note -> assertThat(note)
                .contains("written by an earlier Keyline").contains("opened read-only").contains("brings it up to date"));
        assertThat(ledger.identities().countIssued("out-old")).isEqualTo(2);
        assertThat(ledger.rejections().countRejected(1)).isEqualTo(1);
        assertThat(ledger.registrations().registrationTallies("out-old")).as("no registration table: none").isEmpty();
        assertThat(SchemaLayout.of(readOnly)).as("not migrated").isEqualTo(before);
    }

    @Test
    void everyMigrationScriptIsListedInVersionOrder() throws Exception {
        Path folder = Path.of(LedgerSchema.class.getResource("migration").toURI());
        List<String> scripts;
        try (Stream<Path> files = Files.list(folder)) {
            scripts = files.map(f -> f.getFileName().toString()).sorted(Comparator.comparingInt(
                    (String f) -> Integer.parseInt(f.substring(1, f.indexOf("__"))))).toList();
        }
        assertThat(LedgerSchema.MIGRATIONS).isEqualTo(scripts);
        for (int v = 1; v <= scripts.size(); v++) {
            assertThat(scripts.get(v - 1)).as("version %d", v).matches("V" + v + "__[a-z0-9-]+\\.sql");
        }
    }

    private static DataSource h2(String url) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser("sa");
        return h2;
    }
}
