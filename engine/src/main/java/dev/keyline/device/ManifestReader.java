package dev.keyline.device;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Streams a manifest one device row at a time; nothing holds the whole file, so memory stays flat in the
 * number of devices. Not thread-safe: one reader per consumer.
 */
public interface ManifestReader extends Closeable {

    /** The next device row, or null at the end of the manifest. */
    ManifestRecord next();

    /** Skips rows until the next one returned has the given index (used when a restart resumes). */
    default void skipTo(long index) {
        while (position() < index && skipOne()) {
            // parsing is cheap next to key generation, so resuming by re-reading is simpler than seeking
        }
    }

    /**
     * Reads every remaining row and hands the consumer each one's raw device id, exactly as
     * {@code next().rawDeviceId()} would give it (null for a row without one, or a defective row), in order.
     * Readers may do it without building records; afterwards {@link #position()} counts the rows read.
     */
    default void forEachRawDeviceId(java.util.function.Consumer<String> ids) {
        for (ManifestRecord record = next(); record != null; record = next()) {
            ids.accept(record.rawDeviceId());
        }
    }

    /** Index the next returned row will have. */
    long position();

    /** Reads and drops one row; false at the end. */
    boolean skipOne();

    @Override
    void close();

    /** The reason a row with bytes that are not UTF-8 is rejected. */
    String NOT_UTF8 = "the row is not valid UTF-8 (a Latin-1 or Windows-1252 export?): save the manifest as UTF-8";

    /** Whether a decoded value came from bytes that were not UTF-8. */
    static boolean hasUndecodable(String value) {
        return value.indexOf('\uFFFD') >= 0;
    }

    /**
     * The most characters a row may have. A row is a device: a few hundred characters, a CSR in PEM about
     * 2,000. The bound holds while the file streams, so a runaway row (a quote left open, a binary file) costs
     * at most this much memory; it is rejected and the rows after it are read.
     */
    int MAX_ROW_CHARS = 1 << 20;

    /** Opens a manifest: plain or gzip, UTF-8 or UTF-16 (see {@link ManifestInput}). */
    static ManifestReader open(Path manifest, ManifestFormat format) {
        ManifestInput input = ManifestInput.open(manifest);
        try {
            return switch (format) {
                case CSV -> new CsvManifestReader(manifest, input);
                case JSONL -> new JsonLinesManifestReader(manifest, input);
            };
        } catch (RuntimeException e) {
            try {
                input.reader().close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
