package dev.keyline.job.remote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

import org.springframework.batch.core.BatchStatus;

/**
 * The manager's judgement, on each poll, of a remote run's partitions that have not ended: which were lost with their
 * worker, and which no worker takes. Spring Batch's own polling would wait on such a partition forever
 * (spring-batch#4006); this is what ends that wait. Decided from the shared database only (step statuses, claims,
 * heartbeats), never from the broker. Pure apart from its clock, so it is tested with a fake one. Not thread-safe.
 *
 * <ul>
 *   <li>A partition claimed by a worker whose heartbeat has not moved for the timeout is lost.</li>
 *   <li>A partition that runs with no open claim (its worker ended it but could not record the end) is lost after
 *       the timeout.</li>
 *   <li>A partition nobody claimed waits in the queue while some worker on the queue is alive; once none has been
 *       alive for the timeout, it is unanswered.</li>
 * </ul>
 */
final class PartitionWatch {

    private final Duration timeout;
    private final String queue;
    private final LongSupplier nanos;
    private final Liveness liveness;
    private final Map<Long, Long> unclaimedRunningSince = new HashMap<>();
    private OptionalLong noWorkerSince = OptionalLong.empty();

    PartitionWatch(Duration timeout, String queue, LongSupplier nanos) {
        this.timeout = timeout;
        this.queue = queue;
        this.nanos = nanos;
        this.liveness = new Liveness(timeout, nanos);
    }

    /** A partition not ended, as the repository has it now. */
    record Partition(long stepExecutionId, String name, BatchStatus status) {
    }

    /** A partition to end as FAILED, and why, naming the worker where there is one. */
    record Verdict(long stepExecutionId, String name, Optional<WorkerIdentity> worker, String reason, boolean lost) {
    }

    /**
     * @param running  the partitions whose status is STARTING or STARTED
     * @param claims   the run's claims, by step execution
     * @param workers  the workers not stopped, on every queue
     */
    List<Verdict> judge(Collection<Partition> running, Map<Long, WorkerRegistry.Claim> claims,
                        Collection<WorkerRegistry.WorkerRow> workers) {
        liveness.observe(workers);
        Map<String, WorkerIdentity> known = new HashMap<>();
        workers.forEach(w -> known.put(w.identity().id(), w.identity()));
        long now = nanos.getAsLong();
        boolean anyAliveOnQueue = workers.stream()
                .anyMatch(w -> w.identity().queue().equals(queue) && liveness.alive(w.identity().id()));
        if (anyAliveOnQueue) {
            noWorkerSince = OptionalLong.empty();
        } else if (noWorkerSince.isEmpty()) {
            noWorkerSince = OptionalLong.of(now);
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (Partition p : running) {
            WorkerRegistry.Claim claim = claims.get(p.stepExecutionId());
            boolean open = claim != null && claim.ended().isEmpty();
            if (open) {
                unclaimedRunningSince.remove(p.stepExecutionId());
                if (!liveness.alive(claim.workerId())) {
                    Optional<WorkerIdentity> worker = Optional.ofNullable(known.get(claim.workerId()));
                    verdicts.add(new Verdict(p.stepExecutionId(), p.name(), worker, "its worker "
                            + worker.map(WorkerIdentity::describe).orElse(claim.workerId())
                            + (worker.isPresent() ? " stopped answering: no heartbeat for "
                                    + seconds(liveness.silentFor(claim.workerId()))
                                    : " is gone (it stopped without ending the partition)")
                            + " (--worker-timeout " + seconds(timeout) + ")", true));
                }
            } else if (p.status() == BatchStatus.STARTED) {
                long since = unclaimedRunningSince.computeIfAbsent(p.stepExecutionId(), id -> now);
                if (now - since >= timeout.toNanos()) {
                    verdicts.add(new Verdict(p.stepExecutionId(), p.name(), Optional.empty(),
                            "it is marked as running, but no worker has held it for " + seconds(timeout), true));
                }
            } else if (noWorkerSince.isPresent() && now - noWorkerSince.getAsLong() >= timeout.toNanos()) {
                verdicts.add(new Verdict(p.stepExecutionId(), p.name(), Optional.empty(), "no worker took it: no "
                        + "keyline worker on queue " + queue + " was alive for " + seconds(timeout)
                        + " (--worker-timeout); start workers with keyline worker --queue " + queue, false));
            }
        }
        return verdicts;
    }

    boolean alive(String workerId) {
        return liveness.alive(workerId);
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }
}
