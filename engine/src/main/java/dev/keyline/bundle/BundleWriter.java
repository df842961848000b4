package dev.keyline.bundle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes device bundles under a run's output folder. How a bundle is laid out (a folder per device, an
 * archive per chunk) is the implementation's business; {@link WrittenBundle} says where it went.
 *
 * <p><b>Not thread-safe</b>: one instance per worker thread. Several instances may write under the same
 * output folder at once (each stages its files under names of its own).
 *
 * <p>Durability is the caller's to ask for: {@link #write} publishes files atomically but does not fsync
 * them; {@link #makeDurable()} makes everything written since the previous call durable, and the engine
 * calls it once per chunk, right before the chunk's database transaction commits.
 */
public interface BundleWriter extends AutoCloseable {

    /**
     * Writes one device's bundle, replacing any earlier bundle of the same device entirely (a retry after
     * a crash comes with a new key and certificate: no file of the earlier attempt may remain beside them).
     *
     * @return where the bundle went, and the SHA-256 and size of each file published on its own as written (none for
     *         a bundle inside a chunk's archive)
     * @throws BundleWriteException the bundle was refused (retrying will not help)
     * @throws IOException          writing failed; the message names the path
     */
    WrittenBundle write(DeviceBundle bundle) throws IOException;

    /**
     * Makes every bundle written through this writer since the last call durable.
     *
     * @return the files this call published that hold several devices (the archive layout's chunk archives), for
     *         the ledger to record in the same transaction as the devices; empty for a layout that publishes each
     *         bundle as it is written
     */
    List<BundleFile> makeDurable() throws IOException;

    /**
     * A file the caller wrote under the output folder (at its final path) that the next {@link #makeDurable()} makes
     * durable with the bundles: the chunk's output manifest rows, which one sync then covers too.
     */
    void makeDurableWith(Path file);

    /** Releases the writer's resources. Does not make anything durable: call {@link #makeDurable()} first. */
    @Override
    void close() throws IOException;
}
