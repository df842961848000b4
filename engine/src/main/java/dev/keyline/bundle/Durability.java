package dev.keyline.bundle;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Makes written files durable in batches: a writer reports what it wrote and changed, and
 * {@link #sync()} (once per chunk, just before the chunk's database transaction commits) makes all of
 * it durable at once.
 *
 * <p>Why batch: an fsync per file caps a run near 1k devices per second on this machine, while a
 * device's bundle is only worth keeping once its ledger row commits; a crash before the commit makes
 * the engine write that device again anyway. So files are written without fsync, and one sync per chunk
 * covers them all before the commit.
 *
 * <p>Implementations: {@link SyncFs} (Linux: one {@code syncfs(2)} per sync, flushing the whole file
 * system that holds the output; the bookkeeping calls cost nothing), and {@link ForceEachFile} (portable:
 * an fsync of every file written and every directory changed since the last sync).
 * {@link #open(DurabilityMode, Path)} picks one.
 *
 * <p>Not thread-safe: one per writer.
 */
public interface Durability extends Closeable {

    /** A file was written (at its final path) and must be durable after the next {@link #sync()}. */
    void fileWritten(Path file);

    /** Entries of this directory were created, renamed or removed; they must be durable after the next sync. */
    void directoryChanged(Path directory);

    /** Makes everything reported since the last sync durable. */
    void sync() throws IOException;

    @Override
    default void close() throws IOException {
    }

    /**
     * @param mode      {@link DurabilityMode#AUTO} takes {@link SyncFs} when {@link SyncFs#isAvailable()}
     * @param directory a directory on the file system being written (for {@code syncfs})
     * @throws BundleWriteException when {@link DurabilityMode#SYNCFS} is asked for and not available
     */
    static Durability open(DurabilityMode mode, Path directory) throws IOException {
        Objects.requireNonNull(mode, "mode");
        return switch (mode) {
            case AUTO -> SyncFs.isAvailable() ? SyncFs.open(directory) : new ForceEachFile();
            case SYNCFS -> SyncFs.open(directory);
            case FORCE_EACH_FILE -> new ForceEachFile();
        };
    }
}
