package dev.keyline.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The device ids for which this output has made a kept token key, one a line, appended before each key is made.
 *
 * <p>Why: a chunk that did not commit leaves its devices' keys in the token; when it is processed again, those keys
 * must be replaced (one key per label, none whose certificate was never issued). But a key under the same label
 * may also belong to another output that issued the same device id into the same token, and replacing that one
 * would leave its certificate without a key. The journal tells the two apart: a leftover is this output's only if
 * its device id is written here. Each line is appended (no fsync) before the key exists, so a killed process never
 * leaves a key the journal does not name; after a power loss the line may be missing, and the device is then
 * refused with the reason (safe) rather than its key replaced. Thread-safe.
 */
public final class TokenKeyJournal implements AutoCloseable {

    private final Path file;
    private Set<String> recorded;
    private FileChannel channel;

    public TokenKeyJournal(Path file) {
        this.file = file;
    }

    /** Whether this output made a key for {@code deviceId} before (in this process or an earlier one). */
    public synchronized boolean recorded(String deviceId) {
        return load().contains(deviceId);
    }

    /** Notes that this output is about to make a key for {@code deviceId}. */
    public synchronized void record(String deviceId) {
        if (!load().add(deviceId)) {
            return;
        }
        try {
            if (channel == null) {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE);
            }
            ByteBuffer line = ByteBuffer.wrap((deviceId + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                channel.write(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " (the output's record of keys made in the token): "
                    + e.getMessage(), e);
        }
    }

    private Set<String> load() {
        if (recorded == null) {
            recorded = new HashSet<>();
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        recorded.add(line.strip());
                    }
                }
            } catch (NoSuchFileException e) {
                // no key made yet
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return recorded;
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            channel = null;
        }
    }

    @Override
    public String toString() {
        return "TokenKeyJournal[" + file + "]";
    }
}
