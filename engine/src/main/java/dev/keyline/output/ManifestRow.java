package dev.keyline.output;

import dev.keyline.bundle.ArchiveBundleWriter;
import dev.keyline.ledger.LedgerEntry;

/**
 * The output manifest's own columns of one identity (registration columns follow them), as the export from the ledger
 * and the workers' manifest row files render them: one rule, so both give the same bytes.
 */
final class ManifestRow {

    static final String[] COLUMNS = {"device_id", "thing_name", "certificate_id", "serial", "sha256_fingerprint",
            "not_before", "not_after", "key_algorithm", "key_location", "bundle_path", "bundle_entry", "status"};

    private ManifestRow() {
    }

    /** The {@link #COLUMNS} of an identity, in that order, into the first cells of {@code row}. */
    static void fill(String[] row, LedgerEntry e, InstantTexts instants) {
        row[0] = e.deviceId();
        row[1] = e.thingName();
        row[2] = e.certificateId();
        row[3] = e.serialHex();
        row[4] = e.certificateId();
        row[5] = instants.of(e.notBefore());
        row[6] = instants.of(e.notAfter());
        row[7] = e.keyAlgorithm();
        row[8] = e.keyLocation();
        row[9] = e.bundlePath();
        row[10] = isArchive(e.bundlePath()) ? e.deviceId() + "/" : "";
        row[11] = e.status().name();
    }

    /** Device ids cannot hold a dot, so only an archive's path ends in its extension. */
    static boolean isArchive(String bundlePath) {
        return bundlePath.endsWith(ArchiveBundleWriter.EXTENSION);
    }
}
