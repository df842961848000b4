package dev.keyline.bundle;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.keyline.digest.Sha256;

/**
 * The {@code archive} layout: one tar archive per chunk, named after the chunk's first device,
 * <pre>
 * OUT/bundles/&lt;first device id&gt;.tar   0600
 *     &lt;device_id&gt;/                0700
 *     &lt;device_id&gt;/device.crt.pem  0644   the same files, bytes and modes as the dir layout
 *     &lt;device_id&gt;/device.key.pem  0600
 *     &lt;device_id&gt;/chain.pem       0644
 *     &lt;device_id&gt;/device.p12      0600   when asked
 * </pre>
 * so {@code tar -xpf bundles/X.tar -C bundles} gives exactly what the dir layout would have written, and the per-file
 * sums the ledger keeps for each device (paths {@code bundles/<device_id>/<file>}) hold for the extracted files.
 * The CA chain is the same in every bundle: only the archive's first device has it as a file, each later device's
 * {@code chain.pem} is a tar hard link to that one (a 512-byte header instead of the chain's 1.5 KB and its header,
 * a fifth of an EC device's bytes). Extracted, every device has its {@code chain.pem} with the same bytes and mode; the
 * files share one inode per archive. Extracting one device alone from an archive needs its first device's chain too.
 *
 * <p>Why: a device costs the dir layout a folder and three or four files (open, write, rename each); here it costs a
 * few hundred bytes appended to an open file. The archive is POSIX tar (PAX headers for long names), uncompressed:
 * keys and certificates barely compress, and a compressor would cost more than the crypto.
 *
 * <p><b>Exactly once.</b> An archive is built in {@code OUT/bundles/.staging/} and only {@link #makeDurable()}, which
 * the engine calls right before the chunk's transaction commits, renames it into {@code bundles/} and syncs it. The
 * chunk's transaction records the archive ({@code bundle_archive}) along with its devices. So an archive in
 * {@code bundles/} either belongs to a committed chunk, or to one whose process died between the rename and the
 * commit: {@link #removeUnrecorded} deletes those before a run or restart writes again, and the chunk is issued anew
 * (same first device, same name). A chunk that fails before {@link #makeDurable()} leaves only a staged file, which
 * {@link #close()} and {@link DirectoryBundleWriter#cleanStaging} remove.
 *
 * <p><b>Not thread-safe</b>: one per worker thread; writers may share an output folder (each stages under names of
 * its own, and chunks of different writers start with different devices).
 */
public final class ArchiveBundleWriter implements BundleWriter {

    public static final String EXTENSION = ".tar";

    private static final int DIRECTORY_MODE = 040700;
    private static final int PRIVATE_MODE = 0100600;
    private static final int PUBLIC_MODE = 0100644;

    private final WriterSpace space;
    private long sequence;
    private OpenArchive current;
    private boolean closed;

    /**
     * Creates {@code OUT/bundles/} (0700) and a staging folder of its own, opens the durability strategy and, with a
     * passphrase, derives the encryption keys.
     *
     * @throws BundleWriteException the output is on a file system without POSIX permissions
     */
    public ArchiveBundleWriter(BundleOptions options) throws IOException {
        this.space = new WriterSpace(options, "a", false);
    }

    /**
     * Deletes every archive in {@code OUT/bundles/} the ledger does not record: the work of a chunk whose process
     * died after publishing it and before committing. Call before a run or restart writes, never while one does.
     *
     * @param recorded the recorded archive paths, relative to the output folder ({@code bundles/X.tar})
     * @return how many were removed
     */
    public static int removeUnrecorded(Path outputDirectory, Set<String> recorded) throws IOException {
        Path root = outputDirectory.resolve(DirectoryBundleWriter.BUNDLES);
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        List<Path> unrecorded = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, "*" + EXTENSION)) {
            for (Path entry : entries) {
                String relative = DirectoryBundleWriter.BUNDLES + "/" + entry.getFileName();
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && !recorded.contains(relative)) {
                    unrecorded.add(entry);
                }
            }
        }
        for (Path archive : unrecorded) {
            Files.delete(archive);
        }
        return unrecorded.size();
    }

    @Override
    public WrittenBundle write(DeviceBundle bundle) throws IOException {
        if (closed) {
            throw new IllegalStateException("this bundle writer is closed");
        }
        String id = DeviceIds.requireValid(bundle.deviceId());
        List<BundleEntry> entries = space.encoder.encode(bundle);
        try {
            if (current == null) {
                current = new OpenArchive(id, space.stagingRoot.resolve(space.stagingPrefix + (++sequence) + EXTENSION));
            }
            current.append(id, entries);
            return new WrittenBundle(current.relative, List.of());
        } finally {
            entries.forEach(BundleEntry::wipe);
        }
    }

    /** Publishes the chunk's archive (if the chunk wrote any device) and makes it durable. */
    @Override
    public List<BundleFile> makeDurable() throws IOException {
        if (closed) {
            throw new IllegalStateException("this bundle writer is closed");
        }
        if (current == null) {
            return List.of();
        }
        OpenArchive archive = current;
        current = null;
        BundleFile published;
        try {
            published = archive.publish();
        } catch (IOException | RuntimeException | Error e) {
            archive.discard(e);
            throw e;
        }
        space.durability.fileWritten(space.bundlesRoot.resolve(archive.fileName));
        space.durability.directoryChanged(space.bundlesRoot);
        space.durability.sync();
        KillPoint.reach(KillPoint.ARCHIVE_PUBLISHED);
        return List.of(published);
    }

    /** Discards an archive whose chunk did not reach {@link #makeDurable()}, and releases the writer's resources. */
    @Override
    public void makeDurableWith(Path file) {
        space.durability.fileWritten(file);
        space.durability.directoryChanged(file.getParent());
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (current != null) {
                IOException failure = new IOException("discarding the unpublished archive " + current.relative);
                current.discard(failure);
                current = null;
                if (failure.getSuppressed().length > 0) {
                    throw failure;
                }
            }
        } finally {
            space.close();
        }
    }

    @Override
    public String toString() {
        return "ArchiveBundleWriter[" + space.bundlesRoot + ", " + space.durability + "]";
    }

    /** The chunk's archive while it is being written in the staging folder. */
    private final class OpenArchive {
        final String fileName;
        final String relative;
        final Path staged;
        final MessageDigest sha256 = Sha256.newDigest();
        final OutputStream file;
        final TarWriter tar = new TarWriter();
        // Whole seconds: tar's plain header holds no fraction (a PAX header would, for every entry).
        final long modified = Instant.now().getEpochSecond();
        boolean broken;
        boolean closed;
        /** The archive's first {@code chain.pem}, which the same chain of every later device links to. */
        String firstChain;
        byte[] firstChainBytes;

        OpenArchive(String firstDevice, Path staged) throws IOException {
            this.fileName = firstDevice + EXTENSION;
            this.relative = DirectoryBundleWriter.BUNDLES + "/" + fileName;
            this.staged = staged;
            FileChannel channel = FileChannel.open(staged, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    BundleFolders.PRIVATE_FILE);
            this.file = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        }

        void append(String deviceId, List<BundleEntry> entries) throws IOException {
            if (broken) {
                throw new BundleWriteException(deviceId, "the chunk archive " + relative
                        + " was left incomplete by an earlier write failure; the chunk must be written again");
            }
            broken = true; // until every entry of this device is in: a half-written device spoils the archive
            try {
                tar.folder(deviceId + "/", DIRECTORY_MODE, modified);
                for (BundleEntry entry : entries) {
                    String name = deviceId + "/" + entry.name();
                    boolean chain = entry.name().equals(BundleEncoder.CHAIN_FILE);
                    if (chain && firstChain != null && Arrays.equals(entry.bytes(), firstChainBytes)) {
                        tar.link(name, firstChain, PUBLIC_MODE, modified);
                    } else {
                        tar.file(name, entry.secret() ? PRIVATE_MODE : PUBLIC_MODE, modified, entry.bytes());
                        if (chain && firstChain == null) {
                            firstChain = name;
                            firstChainBytes = entry.bytes().clone();
                        }
                    }
                }
                // the device's records in one piece: one digest update and one buffered write, not one per record
                sha256.update(tar.pending(), 0, tar.pendingLength());
                tar.flushTo(file);
                broken = false;
            } catch (IOException e) {
                throw new IOException("writing " + staged + " (archive " + relative + ", device " + deviceId + ") failed: "
                        + e.getMessage(), e);
            }
        }

        BundleFile publish() throws IOException {
            if (broken) {
                throw new BundleWriteException(null, "the chunk archive " + relative + " is incomplete and cannot be published");
            }
            tar.finish();
            sha256.update(tar.pending(), 0, tar.pendingLength());
            tar.flushTo(file);
            closed = true;
            file.close();
            long size = Files.size(staged);
            // Replaces an archive of the same name only if one was left by a chunk that never committed: a committed
            // chunk's first device is in the ledger and is never written again.
            Files.move(staged, space.bundlesRoot.resolve(fileName), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new BundleFile(relative, Hex.of(sha256.digest()), size);
        }

        void discard(Throwable failure) {
            try {
                if (!closed) {
                    closed = true;
                    file.close();
                }
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
            try {
                Files.deleteIfExists(staged);
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** Every archive of {@code OUT/bundles/}, sorted by name. */
    public static List<Path> archives(Path outputDirectory) throws IOException {
        Path root = outputDirectory.resolve(DirectoryBundleWriter.BUNDLES);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(EXTENSION)).sorted().toList();
        }
    }
}
