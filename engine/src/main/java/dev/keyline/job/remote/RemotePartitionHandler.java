package dev.keyline.job.remote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.partition.support.AbstractPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;

import dev.keyline.job.Placement;
import dev.keyline.job.RemotePartitions;

/**
 * The manager's partition handler for a remote run: sends one request per partition to the run's queue, then follows
 * the partitions in the JobRepository until all have ended, as Spring Batch's polling {@code
 * MessageChannelPartitionHandler} does (replies through the broker would be lost with a manager that restarts:
 * spring-batch#4011, #5158). On each poll it also asks {@link PartitionWatch} which partitions were lost with their
 * worker or are taken by none, and ends those FAILED in the repository, naming the worker; Spring Batch alone would wait
 * on them forever (spring-batch#4006). A lost partition's worker, should it be alive after all, finds its partition's
 * version changed at its next chunk's commit, which then rolls back: two workers never commit one partition.
 *
 * <p>When the run is asked to stop (its execution is STOPPING), partitions no worker has taken end STOPPED here;
 * running ones stop at their next chunk boundary, where the worker's repository update sees the execution stopping.
 */
final class RemotePartitionHandler extends AbstractPartitionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RemotePartitionHandler.class);

    private final JobRepository repository;
    private final WorkerRegistry workers;
    private final PartitionRequests requests;
    private final Placement.Remote placement;
    private final String workerStep;
    private final Duration pollInterval;
    private final LongSupplier nanos;
    private final LongConsumer committedRows;

    /**
     * @param committedRows told, on each poll, the rows the run's partitions have committed in this execution (the
     *                      progress display's count)
     */
    RemotePartitionHandler(JobRepository repository, WorkerRegistry workers, PartitionRequests requests,
                           Placement.Remote placement, String workerStep, int gridSize, Duration pollInterval, LongSupplier nanos,
                           LongConsumer committedRows) {
        this.repository = repository;
        this.workers = workers;
        this.requests = requests;
        this.placement = placement;
        this.workerStep = workerStep;
        this.pollInterval = pollInterval;
        this.nanos = nanos;
        this.committedRows = committedRows;
        setGridSize(gridSize);
    }

    @Override
    protected Set<StepExecution> doHandle(StepExecution managerStepExecution, Set<StepExecution> partitions)
            throws Exception {
        if (partitions.isEmpty()) {
            return partitions;
        }
        long jobExecutionId = managerStepExecution.getJobExecutionId();
        // In the order of their ranges, so the manifest is issued roughly from the top when workers are few.
        List<StepExecution> ordered = partitions.stream()
                .sorted(Comparator.comparing(StepExecution::getStepName, RemotePartitionHandler::byPartitionNumber))
                .toList();
        for (StepExecution partition : ordered) {
            requests.send(new PartitionRequest(workerStep, partition.getId(), jobExecutionId));
        }
        LOG.info("run execution {}: sent {} partition requests to queue {} at {}", jobExecutionId, ordered.size(),
                placement.queue(), placement.broker());
        Set<Long> ids = partitions.stream().map(StepExecution::getId).collect(Collectors.toSet());
        PartitionWatch watch = new PartitionWatch(placement.workerTimeout(), placement.queue(), nanos);
        String host = WorkerIdentity.hostName();
        long pid = ProcessHandle.current().pid();
        while (true) {
            beat(jobExecutionId, host, pid);
            JobExecution job = repository.getJobExecution(jobExecutionId);
            List<StepExecution> current = job.getStepExecutions().stream().filter(s -> ids.contains(s.getId())).toList();
            committedRows.accept(current.stream().mapToLong(StepExecution::getWriteCount).sum());
            List<StepExecution> running = current.stream().filter(s -> s.getStatus().isRunning()).toList();
            if (running.isEmpty()) {
                return new HashSet<>(current);
            }
            Map<Long, WorkerRegistry.Claim> claims = new HashMap<>();
            workers.claims(jobExecutionId).forEach(c -> claims.put(c.stepExecutionId(), c));
            if (job.isStopping()) {
                stopUntaken(running, claims);
            }
            List<PartitionWatch.Partition> watched = new ArrayList<>();
            running.forEach(s -> watched.add(new PartitionWatch.Partition(s.getId(), s.getStepName(), s.getStatus())));
            for (PartitionWatch.Verdict verdict : watch.judge(watched, claims, workers.running())) {
                fail(verdict);
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    /** The workers stop a partition whose manager stopped beating ({@link ManagerWatch}). */
    private void beat(long jobExecutionId, String host, long pid) {
        try {
            workers.managerBeat(jobExecutionId, host, pid);
        } catch (RuntimeException e) {
            LOG.warn("execution {}: the manager's heartbeat failed: {}", jobExecutionId, e.getMessage());
        }
    }

    /** A stopping run: partitions still in the queue end STOPPED; a worker that receives one later drops it. */
    private void stopUntaken(List<StepExecution> running, Map<Long, WorkerRegistry.Claim> claims) {
        for (StepExecution s : running) {
            if (s.getStatus() == BatchStatus.STARTING && !claims.containsKey(s.getId())) {
                end(s.getId(), BatchStatus.STOPPED, ExitStatus.STOPPED.addExitDescription(
                        "the run stopped before a worker took this partition"));
            }
        }
    }

    private void fail(PartitionWatch.Verdict verdict) {
        String reason = verdict.lost() ? "lost: " + verdict.reason() : verdict.reason();
        LOG.warn("{} {}", verdict.name(), reason);
        end(verdict.stepExecutionId(), BatchStatus.FAILED,
                new ExitStatus(verdict.lost() ? RemotePartitions.WORKER_LOST : RemotePartitions.NO_WORKER, reason));
    }

    /** Ends a partition in the repository, unless its worker updated it meanwhile (then the next poll looks again). */
    private void end(long stepExecutionId, BatchStatus status, ExitStatus exit) {
        StepExecution fresh = repository.getStepExecution(stepExecutionId);
        if (fresh == null || !fresh.getStatus().isRunning()) {
            return;
        }
        fresh.setStatus(status);
        fresh.setExitStatus(exit);
        fresh.setEndTime(java.time.LocalDateTime.now());
        try {
            repository.update(fresh);
        } catch (OptimisticLockingFailureException raced) {
            LOG.info("partition {} changed while it was being ended; looking again at the next poll", fresh.getStepName());
        }
    }

    /** {@code issue-worker:partition10} after {@code issue-worker:partition9}. */
    private static int byPartitionNumber(String a, String b) {
        return Long.compare(number(a), number(b));
    }

    private static long number(String name) {
        int i = name.length();
        while (i > 0 && Character.isDigit(name.charAt(i - 1))) {
            i--;
        }
        return i == name.length() ? 0 : Long.parseLong(name.substring(i));
    }
}
