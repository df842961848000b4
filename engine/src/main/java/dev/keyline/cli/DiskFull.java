package dev.keyline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.keyline.job.DiskSpaceLowException;
import dev.keyline.job.SpaceEstimate;

/**
 * A run that failed because a disk it writes to filled up: nearly (the run stopped before its next chunk, see
 * {@code job/DiskSpaceGuard}) or for real (ENOSPC, whether the bundles, the ledger or the log hit it first). One
 * sentence that names the folder, what is free there and what to do, instead of the I/O error of whichever write
 * happened to fail.
 */
record DiskFull(Path folder, long usableBytes, long neededBytes) {

    private static final String ENOSPC = "no space left on device";
    private static final long UNKNOWN = -1;

    /**
     * The disk-full failure in this chain of causes, if that is what it is: the run stopped because a disk had too
     * little room left for its next chunk (named by the folder on that disk), or a write met ENOSPC. The first is
     * looked for first: a wrapper's message may repeat its text.
     */
    static Optional<DiskFull> in(Throwable failure, Path out) {
        for (Throwable t : chain(failure)) {
            if (t instanceof DiskSpaceLowException low) {
                return Optional.of(new DiskFull(low.folder(), usable(low.folder()), low.reserveBytes()));
            }
        }
        for (Throwable t : chain(failure)) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(ENOSPC)) {
                return Optional.of(new DiskFull(out, usable(out), UNKNOWN));
            }
        }
        return Optional.empty();
    }

    private static List<Throwable> chain(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** What is free on the folder's disk now (the folder, or its closest parent that exists); -1 if unknown. */
    private static long usable(Path folder) {
        try {
            Path p = folder.toAbsolutePath().normalize();
            while (p.getParent() != null && !Files.exists(p)) {
                p = p.getParent();
            }
            return Files.getFileStore(p).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }

    /** What happened and what to free, for the line that reports the failed run. */
    String describe() {
        String free = usableBytes < 0 ? "" : " (" + SpaceEstimate.human(usableBytes) + " free there now"
                + (neededBytes < 0 ? "" : ", " + SpaceEstimate.human(neededBytes) + " needed to go on") + ")";
        return "no space left on device for " + folder + free + ": free space on that disk (other files, older outputs, "
                + "or OUT/.keyline/keyline.log), or make it larger; what committed is kept";
    }
}
