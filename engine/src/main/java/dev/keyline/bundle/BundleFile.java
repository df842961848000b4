package dev.keyline.bundle;

import java.util.Objects;

/**
 * One file written for a bundle.
 *
 * @param path   relative to the run's output folder, with {@code /} separators
 * @param sha256 lowercase hex SHA-256 of the bytes written (hashed in memory, not read back)
 * @param size   number of bytes written
 */
public record BundleFile(String path, String sha256, long size) {

    public BundleFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        if (path.isEmpty() || path.charAt(0) == '/' || path.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("path must be relative with '/' separators, got \"" + path + "\"");
        }
        if (!Hex.isLowerSha256(sha256)) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits, got \"" + sha256 + "\"");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
    }
}
