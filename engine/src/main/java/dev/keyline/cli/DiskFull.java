package dev.keyline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.keyline.job.SpaceEstimate;

/**
 * A run that failed because the disk of its output filled up (ENOSPC, whether the bundles, the ledger or the log hit
 * it first): one sentence that names the folder, what is free there and what to do, instead of the I/O error of
 * whichever write happened to fail.
 */
record DiskFull(Path out, long usableBytes) {

    private static final String ENOSPC = "no space left on device";

    /** The disk-full failure in this chain of causes, if that is what it is. */
    static Optional<DiskFull> in(Throwable failure, Path out) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(ENOSPC)) {
                return Optional.of(new DiskFull(out, usable(out)));
            }
        }
        return Optional.empty();
    }

    private static long usable(Path out) {
        try {
            return Files.getFileStore(out).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** What happened and what to free, for the line that reports the failed run. */
    String describe() {
        String free = usableBytes < 0 ? "" : " (" + SpaceEstimate.human(usableBytes) + " free there now)";
        return "no space left on device for " + out + free + ": free space on that disk (other files, older outputs, "
                + "or OUT/.keyline/keyline.log), or make it larger; what committed is kept";
    }
}
