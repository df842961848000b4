package dev.keyline.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * What every bundle writer sets up before its first bundle: {@code OUT/bundles/} (0700), a staging folder of its own
 * under {@code bundles/.staging/}, the durability strategy, and the encoder (with a passphrase, its keys derived once).
 *
 * <p>A staging folder of its own per writer: two threads creating files in one folder queue on that folder's lock in
 * the kernel, which measured 2 threads at half the rate of 1 (open(2) dominated).
 */
final class WriterSpace {

    final Path out;
    final Path bundlesRoot;
    final Path stagingRoot;
    /** Unique to this writer (process id and a random number): names staged under it never collide. */
    final String stagingPrefix;
    final Durability durability;
    final BundleEncoder encoder;

    /**
     * @param kind     a letter telling writers' staging folders apart in a listing ({@code w}: dir, {@code a}: archive)
     * @param fileSums whether the layout needs each file's SHA-256 ({@link BundleEncoder})
     * @throws BundleWriteException the output is on a file system without POSIX permissions, or
     *                              {@link DurabilityMode#SYNCFS} was asked for where it is not available
     */
    WriterSpace(BundleOptions options, String kind, boolean fileSums) throws IOException {
        this.out = options.outputDirectory().toAbsolutePath().normalize();
        Files.createDirectories(out);
        BundleFolders.requirePosix(out);
        this.bundlesRoot = out.resolve(DirectoryBundleWriter.BUNDLES);
        boolean createdBundles = BundleFolders.createDirectoryIfAbsent(bundlesRoot);
        BundleFolders.createDirectoryIfAbsent(bundlesRoot.resolve(DirectoryBundleWriter.STAGING));
        SecureRandom random = BundleFolders.newRandom();
        this.stagingPrefix = ProcessHandle.current().pid() + "-" + Long.toHexString(random.nextLong()) + "-";
        this.stagingRoot = bundlesRoot.resolve(DirectoryBundleWriter.STAGING).resolve(stagingPrefix + kind);
        BundleFolders.createDirectoryIfAbsent(stagingRoot);
        this.durability = Durability.open(options.durability(), bundlesRoot);
        if (createdBundles) {
            durability.directoryChanged(out);
        }
        try {
            this.encoder = new BundleEncoder(options, random, fileSums);
        } catch (RuntimeException e) {
            durability.close();
            throw e;
        }
    }

    /** Removes the (by now empty) staging folder, closes the durability strategy and wipes the encoder's keys. */
    void close() throws IOException {
        try {
            Files.deleteIfExists(stagingRoot);
            durability.close();
        } finally {
            encoder.close();
        }
    }
}
