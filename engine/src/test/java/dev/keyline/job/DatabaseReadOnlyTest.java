package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keyline status} opens an idle output's H2 ledger read-only, unless a process may hold its lock file. */
class DatabaseReadOnlyTest {

    @TempDir
    Path out;

    @Test
    void anIdleLedgerOpensReadOnlyWithoutALockFile() {
        Database readOnly = Database.embedded(out).forReadingOnly();
        assertThat(readOnly.url()).endsWith(";ACCESS_MODE_DATA=r").doesNotContain("AUTO_SERVER");
    }

    @Test
    void anEmptyLockFileIsOneThatCouldNotBeWrittenAndGoes() throws Exception {
        Path lock = Files.createDirectories(out.resolve(".keyline")).resolve("ledger.lock.db");
        Files.createFile(lock);
        assertThat(Database.embedded(out).forReadingOnly().url()).endsWith(";ACCESS_MODE_DATA=r");
        assertThat(lock).doesNotExist();
    }

    @Test
    void aWrittenLockFileKeepsTheServedUrl() throws Exception {
        Path lock = Files.createDirectories(out.resolve(".keyline")).resolve("ledger.lock.db");
        Files.writeString(lock, "method=FILE\nserver=127.0.0.1:40000\n");
        Database embedded = Database.embedded(out);
        assertThat(embedded.forReadingOnly()).isEqualTo(embedded);
        assertThat(lock).exists();
    }

    @Test
    void aServerDatabaseIsLeftAlone() {
        Database postgres = new Database("jdbc:postgresql://localhost/keyline", Optional.of("k"), Optional.empty());
        assertThat(postgres.forReadingOnly()).isSameAs(postgres);
    }
}
