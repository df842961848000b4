package dev.keyline.ledger;

import java.util.Objects;

/**
 * A chunk archive of the archive bundle layout, as the ledger records it.
 *
 * @param path   relative to the output folder, e.g. {@code bundles/dev-0001.tar}
 * @param sha256 lowercase hex SHA-256 of the archive as written
 * @param size   its size in bytes
 */
public record ArchiveRecord(String path, String sha256, long size) {

    public ArchiveRecord {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }
}
