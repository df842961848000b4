package dev.keyline.job;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the JobRepository and the ledger live: by default an H2 file database inside the output folder (nothing
 * to install), or PostgreSQL through {@code --db}. The password, if any, comes from the environment, never an
 * argument.
 */
public record Database(String url, Optional<String> user, Optional<char[]> password) {

    /**
     * A database given by its JDBC URL ({@code --db}), the user and password from {@code KEYLINE_DB_USER} and
     * {@code KEYLINE_DB_PASSWORD}.
     */
    public static Database of(String url) {
        Optional<char[]> password = Optional.ofNullable(System.getenv("KEYLINE_DB_PASSWORD")).map(String::toCharArray);
        return new Database(url, Optional.ofNullable(System.getenv("KEYLINE_DB_USER")), password);
    }

    public static Database embedded(Path out) {
        Path file = out.toAbsolutePath().normalize().resolve(".keyline").resolve("ledger");
        // WRITE_DELAY=0: a commit reaches the file at once. H2 otherwise writes commits in the background every
        // 500 ms, and a killed process would lose chunks the job already counted as committed.
        // AUTO_SERVER=TRUE: the process that opens the file serves it on a loopback port to the others, so
        // `keyline status` can read a run while it goes.
        // MAX_COMPACT_TIME=0: H2's close does not move pages for up to 200 ms, which was 0.26-0.56 s of a 100,000-device
        // command's end and left the file no smaller. LedgerCompaction rewrites a mostly dead file (SHUTDOWN COMPACT
        // takes no limit from this setting).
        return new Database("jdbc:h2:file:" + file + ";WRITE_DELAY=0;AUTO_SERVER=TRUE;LOCK_TIMEOUT=10000;MAX_COMPACT_TIME=0",
                Optional.of("sa"), Optional.empty());
    }

    /**
     * This database for a command that only reads ({@code keyline status}), called only while no keyline process
     * uses the output (the caller checked the output's lock): an
     * embedded H2 ledger opened read-only, which writes nothing, not even its lock file, so it opens on a full disk.
     * With a lock file present (a live process serves the file, or one died holding it) it stays as it is: H2 refuses
     * to open a locked file read-only, and a live process must be reached through its server.
     */
    public Database forReadingOnly() {
        if (!isEmbedded() || !url.startsWith("jdbc:h2:file:")) {
            return this;
        }
        String file = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
        Path lock = Path.of(file + ".lock.db");
        try {
            // H2 writes its lock's properties as it creates the file: an empty one is from a process that could not
            // (its disk was full), and no process holds it, so it goes; H2 would refuse the read-only open otherwise.
            if (java.nio.file.Files.size(lock) == 0) {
                java.nio.file.Files.deleteIfExists(lock);
            }
        } catch (java.io.IOException absent) {
            // no lock file: nothing to clear
        }
        if (java.nio.file.Files.exists(lock)) {
            return this;
        }
        return new Database("jdbc:h2:file:" + file + ";ACCESS_MODE_DATA=r", user, password);
    }

    public boolean isEmbedded() {
        return url.startsWith("jdbc:h2:");
    }

    /**
     * The folder of an H2 file database ({@code jdbc:h2:file:PATH}), whose disk the run fills as it commits; empty for
     * a database that is not a local file (PostgreSQL, an H2 server, memory).
     */
    public Optional<Path> localFolder() {
        return localFile().map(Path::getParent);
    }

    /** The file of an H2 file database ({@code PATH.mv.db}); empty for a database that is not a local file. */
    public Optional<Path> localFile() {
        if (!url.startsWith("jdbc:h2:file:")) {
            return Optional.empty();
        }
        Path name = Path.of(url.substring("jdbc:h2:file:".length()).split(";", 2)[0]).toAbsolutePath().normalize();
        return Optional.of(name.resolveSibling(name.getFileName() + ".mv.db"));
    }

    @Override
    public String toString() {
        return "Database[" + url + "]";
    }
}
