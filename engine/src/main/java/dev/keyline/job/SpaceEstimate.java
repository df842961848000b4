package dev.keyline.job;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import dev.keyline.bundle.BundleLayout;
import dev.keyline.text.Counted;

/**
 * The disk space that issuing a number of devices takes in the output and in an embedded H2 ledger: for the whole run,
 * so that {@code run} can warn before it starts instead of failing half-way (a warning, never a refusal), and for the
 * chunks in flight, so that {@link DiskSpaceGuard} can stop a run cleanly before a disk fills. Rough on purpose.
 *
 * <p>Per device: in the {@code dir} layout a bundle is a folder and three files (four with {@code --pkcs12}) of one
 * to three KB each, and each takes at least one 4 KB block of the file system, the folder too on most: 16 KB, 20 KB
 * with PKCS#12 (a 4 MB tmpfs held 271 bundles beside a 0.8 MB ledger: 12 KB each, tmpfs folders taking no block). In
 * the {@code archive} layout the same files sit in a tar of the chunk: a 512-byte header and the content rounded up to
 * 512 bytes each, about 4 KB, 6 KB with PKCS#12 (measured since the chain became a hard link: 3.6 KB; the chunk's
 * output manifest rows, 0.8 KB with this layout and 1.1 KB with dir, fit in what is counted). The embedded H2 ledger peaked at 1.35 KB per device before the
 * compaction at the end of a million-device run (README, "Databases"); 2 KB leaves room for a faster run. On top of
 * that, each chunk's commit appends the pages it changed to the H2 file: 1,000 devices on 2 threads grew it by 2.6 MB
 * in chunks of 20 and by 1.9 MB in chunks of 100, about 16 KB a commit; 32 KB leaves room for page splits. A
 * PostgreSQL ledger is not on this disk.
 */
public record SpaceEstimate(long devices, BundleLayout layout, boolean pkcs12, boolean embeddedLedger, int chunkSize) {

    static final long KB = 1024;
    static final long LEDGER_PER_DEVICE = 2 * KB;
    static final long LEDGER_PER_COMMIT = 32 * KB;

    public SpaceEstimate {
        if (devices < 0 || chunkSize < 1) {
            throw new IllegalArgumentException("devices " + devices + ", chunk size " + chunkSize);
        }
    }

    long bundleBytesPerDevice() {
        return switch (layout) {
            case DIR -> (pkcs12 ? 20 : 16) * KB;
            case ARCHIVE -> (pkcs12 ? 6 : 4) * KB;
        };
    }

    /** What the bundles take in the output folder. */
    long bundleBytes() {
        return devices * bundleBytesPerDevice();
    }

    /** What the ledger's rows and commits take in an embedded H2 file, before its compaction; 0 for PostgreSQL. */
    long ledgerBytes() {
        if (!embeddedLedger) {
            return 0;
        }
        long commits = (devices + chunkSize - 1) / chunkSize;
        return devices * LEDGER_PER_DEVICE + commits * LEDGER_PER_COMMIT;
    }

    public long bytes() {
        return bundleBytes() + ledgerBytes();
    }

    /** The warning to print when the disk has less than the estimate available, else empty. */
    public Optional<String> warning(Path out, long usableBytes) {
        if (usableBytes >= bytes()) {
            return Optional.empty();
        }
        return Optional.of("keyline: warning: " + Counted.of(devices, "device", "devices") + " need about "
                + human(bytes())
                + " in " + out + " (" + layout.name().toLowerCase(Locale.ROOT) + " bundles"
                + (embeddedLedger ? " and the H2 ledger before its compaction" : "") + "), but only "
                + human(usableBytes) + " is free there; the run stops before the disk fills (keyline restart resumes "
                + "it once there is room)");
    }

    public static String human(long bytes) {
        if (bytes < KB) {
            return bytes + " bytes";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= KB && unit < units.length - 1) {
            value /= KB;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
