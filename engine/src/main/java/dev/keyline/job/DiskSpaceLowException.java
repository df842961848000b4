package dev.keyline.job;

import java.nio.file.Path;

import dev.keyline.error.KeylineException;

/**
 * A disk the run writes to has less room than its chunks in flight and its closing writes need, so the run stopped
 * before the disk filled: a bundle or the H2 ledger that meets ENOSPC half-way through a write is what this avoids.
 * Transient: once there is room, a restart goes on from the last committed chunk.
 */
public class DiskSpaceLowException extends KeylineException {

    private static final long serialVersionUID = 1L;

    private final transient Path folder;
    private final long usableBytes;
    private final long reserveBytes;

    public DiskSpaceLowException(Path folder, long usableBytes, long reserveBytes) {
        super(Kind.TRANSIENT, "no space left on device for " + folder + ": " + SpaceEstimate.human(usableBytes)
                + " free, less than the " + SpaceEstimate.human(reserveBytes) + " a chunk on each thread and the end of "
                + "the run need; the run stopped before the disk filled");
        this.folder = folder;
        this.usableBytes = usableBytes;
        this.reserveBytes = reserveBytes;
    }

    /** The folder whose disk is short: the output (bundles) or the ledger's. */
    public Path folder() {
        return folder;
    }

    public long usableBytes() {
        return usableBytes;
    }

    public long reserveBytes() {
        return reserveBytes;
    }
}
