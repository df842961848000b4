package dev.keyline.job;

import java.util.function.LongConsumer;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.partition.PartitionHandler;

/** Sends a remote run's partitions to its workers and follows them to their end ({@code dev.keyline.job.remote}). */
public interface RemotePartitions {

    /**
     * @param rows          the manifest's rows, which the partitions split
     * @param committedRows told the rows the partitions have committed in this execution, as they commit
     */
    PartitionHandler handler(Placement.Remote placement, JobExecution job, long rows, int chunkSize,
                             LongConsumer committedRows);

    /**
     * Before a remote run whose manager died is recovered and restarted: its workers may still run partitions (they
     * do not know the manager is gone). Marks the execution STOPPING, so each stops at its next chunk boundary, and
     * waits until no partition is held by a live worker, at most twice the worker timeout. A restarted partition then
     * never overlaps one still running; one that is still held after the wait is ended by the recovery, and its
     * worker's next commit fails on the changed version.
     */
    void quiesce(JobExecution died, Placement.Remote placement) throws InterruptedException;

    /** Exit codes of partitions that ended with their worker, not with their work: an auto-restart may retry them. */
    String WORKER_LOST = "WORKER_LOST";
    String WORKER_STOPPED = "WORKER_STOPPED";
    /** A partition no worker took within the timeout: not retried, since no worker is there to take it. */
    String NO_WORKER = "NO_WORKER";
}
