package dev.keyline.ledger;

import java.time.Instant;

/**
 * One committed chunk of a step, as {@code chunk_commit} keeps it for the run report.
 *
 * @param stepName the partition's step ({@code issue-worker:partitionN}) or {@code register}
 * @param registered (device, target) pairs registered by a register chunk; {@code failed} those that failed
 * @param keyAlgorithms the chunk's identities per key algorithm ({@code ec-p256=498;rsa-2048=2}), empty if none
 */
public record ChunkCommit(long jobExecutionId, String stepName, Instant committedAt, int issued, int rejected,
                          int registered, int failed, String keyAlgorithms) {

    public ChunkCommit(long jobExecutionId, String stepName, Instant committedAt, int issued, int rejected, int registered,
                       int failed) {
        this(jobExecutionId, stepName, committedAt, issued, rejected, registered, failed, "");
    }

    /** The devices the chunk is counted for in the report's devices-per-second chart. */
    public int devices() {
        return issued + registered;
    }
}
