package dev.keyline.ledger;

import java.util.Objects;

/**
 * A committed chunk's rows of the output manifest, in a file of their own, as the ledger records it.
 *
 * @param path          relative to the output folder, e.g. {@code .keyline/manifest-rows/dev-0001.rows}
 * @param firstDeviceId the smallest device id in the file (its rows are in device id order)
 * @param lastDeviceId  the largest
 * @param rows          how many identities the file holds
 * @param size          the file's size in bytes, as written
 * @param jobInstanceId the run that issued them
 * @param firstRow      the smallest manifest row index among them
 */
public record ManifestChunk(String path, String firstDeviceId, String lastDeviceId, long rows, long size,
                            long jobInstanceId, long firstRow) {

    public ManifestChunk {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(firstDeviceId, "firstDeviceId");
        Objects.requireNonNull(lastDeviceId, "lastDeviceId");
    }
}
