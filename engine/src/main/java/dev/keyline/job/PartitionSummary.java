package dev.keyline.job;

import java.util.Optional;

import dev.keyline.job.remote.WorkerIdentity;

/**
 * One partition of a remote run's execution, for {@code keyline status}.
 *
 * @param first   its first row (0-based) of the manifest
 * @param end     the row after its last
 * @param done    rows it committed in this execution, issued or rejected
 * @param worker  the worker that took it, if one did
 * @param why     the first line of how it ended, when it did not complete
 */
public record PartitionSummary(String name, String status, long first, long end, long done,
                               Optional<WorkerIdentity> worker, String why) {
}
