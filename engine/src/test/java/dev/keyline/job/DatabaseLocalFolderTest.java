package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The folder of the ledger's file, whose disk a run fills as it commits. */
class DatabaseLocalFolderTest {

    @Test
    void theEmbeddedLedgerLivesInTheOutputsStateFolder() {
        Path out = Path.of("/data/out");
        assertThat(Database.embedded(out).localFolder()).contains(out.resolve(".keyline"));
    }

    @Test
    void anH2FileNamedByDbIsLocalToo() {
        Database db = new Database("jdbc:h2:file:/var/keyline/ledger;WRITE_DELAY=0", Optional.of("sa"), Optional.empty());
        assertThat(db.localFolder()).contains(Path.of("/var/keyline"));
    }

    @Test
    void aServerDatabaseHasNone() {
        assertThat(new Database("jdbc:postgresql://localhost/keyline", Optional.empty(), Optional.empty()).localFolder())
                .isEmpty();
        assertThat(new Database("jdbc:h2:mem:test", Optional.empty(), Optional.empty()).localFolder()).isEmpty();
    }
}
