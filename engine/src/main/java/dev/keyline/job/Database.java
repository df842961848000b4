package dev.keyline.job;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the JobRepository and the ledger live: by default an H2 file database inside the output folder (nothing
 * to install), or PostgreSQL through {@code --db}. The password, if any, comes from the environment, never an
 * argument.
 */
public record Database(String url, Optional<String> user, Optional<char[]> password) {

    public static Database embedded(Path out) {
        Path file = out.toAbsolutePath().normalize().resolve(".keyline").resolve("ledger");
        // WRITE_DELAY=0: a commit reaches the file at once. H2 otherwise writes commits in the background every
        // 500 ms, and a killed process would lose chunks the job already counted as committed.
        // DB_CLOSE_ON_EXIT=FALSE: Spring closes the pool itself; H2's own shutdown hook would race it.
        return new Database("jdbc:h2:file:" + file + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000",
                Optional.of("sa"), Optional.empty());
    }

    public boolean isEmbedded() {
        return url.startsWith("jdbc:h2:");
    }

    @Override
    public String toString() {
        return "Database[" + url + "]";
    }
}
