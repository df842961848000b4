package dev.keyline.device;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.io.InputStreamReader;

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

    static ManifestReader open(Path manifest, ManifestFormat format) {
        Reader reader = utf8(manifest);
        try {
            return switch (format) {
                case CSV -> new CsvManifestReader(manifest, reader);
                case JSONL -> new JsonLinesManifestReader(manifest, reader);
            };
        } catch (RuntimeException e) {
            try {
                reader.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * UTF-8 with the BOM dropped. Bytes that are not UTF-8 become U+FFFD here and the row holding them is
     * rejected by its reader ({@link #NOT_UTF8}), so one Latin-1 row does not sink the whole batch.
     */
    private static Reader utf8(Path manifest) {
        try {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE);
            PushbackReader in = new PushbackReader(new BufferedReader(
                    new InputStreamReader(Files.newInputStream(manifest), decoder), 1 << 16), 1);
            int first = in.read();
            if (first != -1 && first != '\uFEFF') {
                in.unread(first);
            }
            return in;
        } catch (NoSuchFileException e) {
            throw new ManifestException(manifest, "no such file");
        } catch (IOException e) {
            throw new ManifestException(manifest, "cannot read: " + e.getMessage(), e);
        }
    }
}
