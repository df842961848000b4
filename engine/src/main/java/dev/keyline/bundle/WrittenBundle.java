package dev.keyline.bundle;

import java.util.List;
import java.util.Objects;

/**
 * Where a bundle went and what it holds, for the ledger and for SHA256SUMS.
 *
 * @param bundlePath relative to the run's output folder, {@code /} separators, e.g. {@code bundles/dev-1}
 *                   (an archive layout names its archive)
 * @param files      every file written on its own, paths relative to the output folder, with its SHA-256 and size for
 *                   SHA256SUMS; none in the archive layout, where SHA256SUMS lists the chunk's archive
 *                   ({@link BundleWriter#makeDurable()} returns it once published)
 */
public record WrittenBundle(String bundlePath, List<BundleFile> files) {

    public WrittenBundle {
        Objects.requireNonNull(bundlePath, "bundlePath");
        if (bundlePath.isEmpty() || bundlePath.charAt(0) == '/' || bundlePath.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("bundlePath must be relative with '/' separators, got \"" + bundlePath + "\"");
        }
        files = List.copyOf(files);
    }

    /** Whether the bundle went into a chunk's archive (the archive layout), which {@link #bundlePath} then names. */
    public boolean inArchive() {
        return bundlePath.endsWith(ArchiveBundleWriter.EXTENSION);
    }
}
