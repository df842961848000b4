package dev.keyline.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code dir} layout: one folder per device,
 * <pre>
 * OUT/bundles/&lt;device_id&gt;/device.crt.pem   0644  the device certificate
 *                          device.key.pem   0600  PKCS#8 "PRIVATE KEY", or "ENCRYPTED PRIVATE KEY" with a passphrase
 *                          chain.pem        0644  issuing CA first, then above
 *                          device.p12       0600  when asked: key, certificate and chain
 * </pre>
 * with {@code bundles/} and each device folder 0700. Permissions are set as each file or folder is
 * created, never changed afterwards, so no key is ever readable by others; a file system without POSIX
 * permissions is refused when the writer is created.
 *
 * <p><b>Atomic files, whole-bundle replacement.</b> Each file is written under a unique name in
 * {@code OUT/bundles/.staging/} (same file system) and renamed into the bundle folder, so a file is
 * either complete or absent. If the folder already exists (an attempt whose chunk never committed,
 * retried with a new key and certificate), each file replaces its predecessor by that rename and then
 * every other entry is removed: no file of the earlier attempt (say a {@code device.p12}, now that
 * PKCS#12 is off) stays beside the new certificate. Only this retry path lists a directory. A crash can
 * leave a bundle half-replaced, but only for a device whose chunk did not commit, which the engine writes
 * again; it can also leave files under {@code .staging}: call {@link #cleanStaging(Path)} at the start of
 * a run, before any writer starts.
 *
 * <p>Why stage in one shared folder rather than build each bundle in a folder of its own and rename the
 * folder: on this machine's ext4, files created inside freshly made folders went at about 1,300 bundles
 * per second, files created in one long-lived folder then renamed at 2,000-5,700 (inode placement). Those figures
 * were taken before we knew that ext4 creates files at about half speed for minutes after a large deletion (see
 * benchmarks/README.md) and may owe something to it; the renames are 5-7% of a worker's CPU in a dir run.
 *
 * <p>Files are not fsynced by {@link #write}; {@link #makeDurable()} syncs through the chosen
 * {@link Durability}, once per chunk.
 *
 * <p><b>Not thread-safe</b>: one per worker thread. Writers may share an output folder: each stages under a
 * prefix of its own (process id and a random number).
 */
public final class DirectoryBundleWriter implements BundleWriter {

    public static final String BUNDLES = "bundles";
    public static final String STAGING = ".staging";
    public static final String CERTIFICATE_FILE = BundleEncoder.CERTIFICATE_FILE;
    public static final String KEY_FILE = BundleEncoder.KEY_FILE;
    public static final String CHAIN_FILE = BundleEncoder.CHAIN_FILE;
    public static final String PKCS12_FILE = BundleEncoder.PKCS12_FILE;

    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private final WriterSpace space;
    private long sequence;
    private boolean closed;

    /**
     * Creates {@code OUT/bundles/} (0700) and its staging folder if absent, opens the durability strategy
     * and, with a passphrase, derives the encryption keys (see {@link PassphraseProtection}: a fraction of
     * a second at the default iteration count).
     *
     * @throws BundleWriteException the output is on a file system without POSIX permissions, or
     *                              {@link DurabilityMode#SYNCFS} was asked for where it is not available
     */
    public DirectoryBundleWriter(BundleOptions options) throws IOException {
        this.space = new WriterSpace(options, "w", true);
    }

    /**
     * Deletes whatever a crashed run left under {@code OUT/bundles/.staging/}. Call at the start of a
     * run, before any writer of the run is created: it would delete a running writer's files.
     *
     * @return how many leftover entries were removed
     */
    public static int cleanStaging(Path outputDirectory) throws IOException {
        Path staging = outputDirectory.resolve(BUNDLES).resolve(STAGING);
        if (!Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        List<Path> leftovers;
        try (Stream<Path> entries = Files.list(staging)) {
            leftovers = entries.toList();
        }
        for (Path leftover : leftovers) {
            BundleFolders.deleteTree(leftover);
        }
        return leftovers.size();
    }

    @Override
    public WrittenBundle write(DeviceBundle bundle) throws IOException {
        if (closed) {
            throw new IllegalStateException("this bundle writer is closed");
        }
        String id = DeviceIds.requireValid(bundle.deviceId());
        Staged staged = new Staged(BUNDLES + "/" + id, space.stagingPrefix + (++sequence) + ".");
        Path target = space.bundlesRoot.resolve(id);
        List<BundleEntry> entries = space.encoder.encode(bundle);
        try {
            for (BundleEntry entry : entries) {
                staged.put(entry);
            }
            boolean created = createBundleDirectory(target, id);
            staged.publish(target);
            if (created) {
                space.durability.directoryChanged(space.bundlesRoot);
            } else {
                removeStale(target, staged);
            }
        } catch (IOException | RuntimeException | Error e) {
            staged.deleteLeftovers(e);
            throw e;
        } finally {
            entries.forEach(BundleEntry::wipe);
        }
        for (int i = 0; i < staged.count; i++) {
            space.durability.fileWritten(target.resolve(staged.names[i]));
        }
        space.durability.directoryChanged(target);
        return new WrittenBundle(staged.relative, Arrays.asList(staged.files).subList(0, staged.count));
    }

    @Override
    public List<BundleFile> makeDurable() throws IOException {
        if (closed) {
            throw new IllegalStateException("this bundle writer is closed");
        }
        space.durability.sync();
        return List.of();
    }

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
        space.close(); // the staging folder is empty once every bundle was renamed into place
    }

    /** The durability strategy in use (chosen by {@link BundleOptions#durability()}). */
    public Durability durability() {
        return space.durability;
    }

    @Override
    public String toString() {
        return "DirectoryBundleWriter[" + space.out + ", " + space.durability + "]";
    }

    /** The files of one bundle, written into the staging folder, then renamed into the bundle folder. */
    private final class Staged {
        final String relative;
        final String prefix;
        final String[] names = new String[4];
        final Path[] paths = new Path[4];
        final BundleFile[] files = new BundleFile[4];
        int count;

        Staged(String relative, String prefix) {
            this.relative = relative;
            this.prefix = prefix;
        }

        void put(BundleEntry entry) throws IOException {
            String name = entry.name();
            byte[] bytes = entry.bytes();
            FileAttribute<Set<PosixFilePermission>> mode = entry.secret() ? BundleFolders.PRIVATE_FILE : BundleFolders.PUBLIC_FILE;
            Path file = space.stagingRoot.resolve(prefix + count);
            paths[count] = file;
            try (SeekableByteChannel channel = Files.newByteChannel(file, CREATE_NEW, mode)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (FileSystemException e) {
                throw e; // names the path already
            } catch (IOException e) {
                throw new IOException("writing " + file + " (staged " + relative + "/" + name + ") failed: " + e.getMessage(), e);
            }
            names[count] = name;
            files[count] = new BundleFile(relative + "/" + name, entry.sha256(), bytes.length);
            count++;
        }

        /** Each rename atomically puts a complete file in place, replacing an earlier attempt's file. */
        void publish(Path target) throws IOException {
            for (int i = 0; i < count; i++) {
                Files.move(paths[i], target.resolve(names[i]), StandardCopyOption.ATOMIC_MOVE);
                paths[i] = null;
            }
        }

        boolean wrote(String name) {
            for (int i = 0; i < count; i++) {
                if (names[i].equals(name)) {
                    return true;
                }
            }
            return false;
        }

        void deleteLeftovers(Throwable failure) {
            for (Path path : paths) {
                if (path != null) {
                    try {
                        Files.deleteIfExists(path);
                    } catch (IOException | RuntimeException e) {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
    }

    /**
     * Creates the bundle folder (0700); says false when it already exists from an earlier attempt.
     * Refuses anything else in its place, a symbolic link included: it is never followed.
     */
    private static boolean createBundleDirectory(Path target, String id) throws IOException {
        try {
            Files.createDirectory(target, BundleFolders.PRIVATE_DIRECTORY);
            return true;
        } catch (FileAlreadyExistsException e) {
            BasicFileAttributes existing = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!existing.isDirectory()) {
                throw new BundleWriteException(id, target + " exists and is not a folder (a file or a symbolic link);"
                        + " it was not made by Keyline: remove it and run again");
            }
            return false;
        }
    }

    /** After a retry: removes whatever the earlier attempt wrote that this one did not (e.g. a device.p12). */
    private static void removeStale(Path target, Staged staged) throws IOException {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
            for (Path entry : entries) {
                if (!staged.wrote(entry.getFileName().toString())) {
                    stale.add(entry);
                }
            }
        }
        for (Path entry : stale) {
            BundleFolders.deleteTree(entry);
        }
    }
}
