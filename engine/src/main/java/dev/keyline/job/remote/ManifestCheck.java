package dev.keyline.job.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.keyline.device.ManifestException;
import dev.keyline.device.ManifestScan;

/**
 * A worker's check, before it reads a partition, that the manifest at the run's path is the file the run was started
 * with: on a shared file system a path can name another file on another machine (a stale NFS copy, another mount).
 * Hashing a large manifest takes a while, so the digest is kept per file version (path, size, modification time)
 * for the worker's later partitions of the same run. Thread-safe.
 */
final class ManifestCheck {

    private record Version(Path path, long size, long modified, Object key) {
    }

    private final String host;
    private final ConcurrentMap<Version, String> digests = new ConcurrentHashMap<>();

    ManifestCheck(String host) {
        this.host = host;
    }

    /** @return why this worker cannot read the run's manifest, or empty if it is the run's file */
    Optional<String> problem(Path manifest, String expectedSha256) {
        Version version;
        try {
            BasicFileAttributes a = Files.readAttributes(manifest, BasicFileAttributes.class);
            version = new Version(manifest, a.size(), a.lastModifiedTime().toMillis(), a.fileKey());
        } catch (IOException e) {
            return Optional.of("the manifest " + manifest + " cannot be read on " + host + " (" + e.getMessage()
                    + "): every worker needs the run's manifest at the same path (a shared file system)");
        }
        String actual;
        try {
            actual = digests.computeIfAbsent(version, v -> ManifestScan.sha256(v.path()));
        } catch (ManifestException e) {
            return Optional.of("the manifest " + manifest + " cannot be read on " + host + ": " + e.getMessage());
        }
        if (!actual.equals(expectedSha256)) {
            return Optional.of("the manifest " + manifest + " on " + host + " is not the run's file (its SHA-256 is "
                    + actual + ", the run's is " + expectedSha256 + "): every worker needs the same file at the same "
                    + "path; check the shared file system's mount on " + host);
        }
        return Optional.empty();
    }
}
