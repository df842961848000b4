package dev.keyline.job.remote;

import java.time.Duration;

/**
 * A worker's view of the managers whose partitions it runs: a manager is gone once it has not beaten (on every poll,
 * each second) for the run's worker timeout, by the database's clock, which stamps its beats and tells the time now;
 * so no machine's clock enters, and a worker that meets the run for the first time knows at once. A partition whose
 * manager is gone stops after its current chunk, and a request of its execution is dropped unrun: nobody would follow
 * it, and the run's restart sends its unfinished partitions again. Thread-safe.
 */
final class ManagerWatch {

    private final WorkerRegistry registry;

    ManagerWatch(WorkerRegistry registry) {
        this.registry = registry;
    }

    /** Whether the manager of this execution has beaten within {@code timeout} (or not yet at all: it is starting). */
    boolean alive(long jobExecutionId, Duration timeout) {
        return registry.managerSilence(jobExecutionId).map(silence -> silence.compareTo(timeout) < 0).orElse(true);
    }
}
