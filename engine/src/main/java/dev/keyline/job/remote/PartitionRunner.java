package dev.keyline.job.remote;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;

import dev.keyline.job.Placement;
import dev.keyline.job.RangePartitioner;
import dev.keyline.job.RemotePartitions;
import dev.keyline.job.RunRequest;

/**
 * Runs one partition request in a worker, as Spring Batch's {@code StepExecutionRequestHandler} does (the partition's
 * execution is read from the shared JobRepository, the step is located by name and executed), with what a fleet of
 * workers needs around it: a request whose partition is no longer waiting (taken by another worker, redelivered after
 * its worker died, or ended by the manager) is dropped; a claim in the database decides which worker runs it; the
 * manifest is checked to be the run's file; and the partition's end is recorded even when the step itself could not.
 * Thread-safe: each of the worker's threads runs one partition at a time through it.
 */
final class PartitionRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionRunner.class);

    /** What became of a request. */
    enum Outcome {
        /** It was run, or it needed no running: acknowledge it. */
        DONE,
        /** Not now (the worker is stopping, or the database did not answer): give it back to the queue. */
        REQUEUE
    }

    private final JobRepository repository;
    private final WorkerRegistry registry;
    private final WorkerIdentity me;
    private final Step step;
    private final ManifestCheck manifests;
    private final PrintStream console;
    private final ManagerWatch managers;
    private final Set<StepExecution> running = ConcurrentHashMap.newKeySet();
    /** Partitions stopped here because their manager is gone. */
    private final Set<Long> orphaned = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    PartitionRunner(JobRepository repository, WorkerRegistry registry, WorkerIdentity me, Step step,
                    ManifestCheck manifests, ManagerWatch managers, PrintStream console) {
        this.repository = repository;
        this.registry = registry;
        this.me = me;
        this.step = step;
        this.manifests = manifests;
        this.console = console;
        this.managers = managers;
    }

    /**
     * Takes the request if its partition waits for a worker, and tells the caller when to acknowledge it: once the
     * claim is in the database, the database holds the partition, not the queue.
     *
     * @param acknowledge called once the request should leave the queue (before the partition runs)
     */
    Outcome run(PartitionRequest request, Runnable acknowledge) {
        if (stopping) {
            return Outcome.REQUEUE;
        }
        StepExecution execution;
        try {
            execution = repository.getStepExecution(request.stepExecutionId());
        } catch (RuntimeException e) {
            LOG.warn("cannot read partition {} from the database: {}", request.stepExecutionId(), e.getMessage());
            return Outcome.REQUEUE;
        }
        if (execution == null) {
            say("dropped a request for step execution " + request.stepExecutionId() + " of execution "
                    + request.jobExecutionId() + ": this database has no such partition (do the manager and this "
                    + "worker use the same --db?)");
            return Outcome.DONE;
        }
        if (execution.getStatus() != BatchStatus.STARTING) {
            LOG.info("dropped the request for {} of execution {}: it is {} already", execution.getStepName(),
                    request.jobExecutionId(), execution.getStatus());
            return Outcome.DONE;
        }
        if (!managers.alive(request.jobExecutionId(), timeout(execution))) {
            say("dropped the request for " + partition(execution) + " of execution " + request.jobExecutionId()
                    + ": its manager stopped answering; keyline restart --out "
                    + RunRequest.of(execution.getJobParameters()).out() + " resumes the run");
            return Outcome.DONE;
        }
        if (!registry.claim(me.id(), request.jobExecutionId(), request.stepExecutionId())) {
            LOG.info("dropped the request for {} of execution {}: another worker claimed it", execution.getStepName(),
                    request.jobExecutionId());
            return Outcome.DONE;
        }
        acknowledge.run();
        running.add(execution);
        try {
            if (stopping) {
                // Asked to stop between the claim and here: leave it as the manager will see it, stopped untouched.
                end(execution, BatchStatus.STOPPED, new ExitStatus(RemotePartitions.WORKER_STOPPED,
                        "worker " + me.describe() + " stopped before it began this partition"));
                return Outcome.DONE;
            }
            execute(execution);
        } finally {
            running.remove(execution);
            try {
                registry.released(execution.getId());
            } catch (RuntimeException e) {
                LOG.warn("could not record the end of the claim on {}: {}", execution.getStepName(), e.getMessage());
            }
        }
        return Outcome.DONE;
    }

    private void execute(StepExecution execution) {
        RunRequest run = RunRequest.of(execution.getJobParameters());
        String where = "run " + execution.getJobExecution().getJobInstanceId() + " (execution "
                + execution.getJobExecutionId() + ", output " + run.out() + ")";
        Optional<String> problem = manifests.problem(run.manifest(), run.manifestSha256());
        if (problem.isPresent()) {
            say(where + ", " + execution.getStepName() + ": not run: " + problem.get());
            end(execution, BatchStatus.FAILED, ExitStatus.FAILED.addExitDescription(problem.get()));
            return;
        }
        long first = execution.getExecutionContext().getLong(RangePartitioner.FIRST);
        long end = execution.getExecutionContext().getLong(RangePartitioner.END);
        say(where + ", " + partition(execution) + ": rows " + first + " to " + (end - 1) + " of " + run.manifest());
        Instant started = Instant.now();
        try {
            step.execute(execution);
        } catch (JobInterruptedException e) {
            end(execution, BatchStatus.STOPPED, ExitStatus.STOPPED);
        } catch (Throwable e) {
            execution.addFailureException(e);
            LOG.error("{} failed", execution.getStepName(), e);
            end(execution, BatchStatus.FAILED, ExitStatus.FAILED.addExitDescription(e));
        }
        if (orphaned.remove(execution.getId()) && execution.getStatus() == BatchStatus.STOPPED) {
            end(execution, BatchStatus.STOPPED, new ExitStatus(RemotePartitions.WORKER_STOPPED, "its manager stopped "
                    + "answering, so worker " + me.describe() + " stopped it after its current chunk; keyline restart "
                    + "resumes the run"), true);
        } else if (stopping && execution.getStatus() == BatchStatus.STOPPED) {
            // Stopped by this worker's own shutdown, not by the run: the manager may hand the rest to another worker.
            end(execution, BatchStatus.STOPPED, new ExitStatus(RemotePartitions.WORKER_STOPPED, "worker "
                    + me.describe() + " was stopped (SIGTERM) and ended the partition after its current chunk"), true);
        }
        Duration took = Duration.between(started, Instant.now());
        say(where + ", " + partition(execution) + ": " + execution.getStatus().name().toLowerCase() + ", "
                + String.format("%,d", execution.getWriteCount()) + " devices committed in "
                + String.format("%.1f s", took.toMillis() / 1000.0));
    }

    private void end(StepExecution execution, BatchStatus status, ExitStatus exit) {
        end(execution, status, exit, false);
    }

    /**
     * Records a partition's end that its step could not record itself.
     *
     * @param overwrite also when the step already ended it (to say why it stopped)
     */
    private void end(StepExecution execution, BatchStatus status, ExitStatus exit, boolean overwrite) {
        try {
            StepExecution fresh = repository.getStepExecution(execution.getId());
            if (fresh == null || (!overwrite && !fresh.getStatus().isRunning())) {
                return;
            }
            fresh.setStatus(status);
            fresh.setExitStatus(exit);
            if (fresh.getEndTime() == null) {
                fresh.setEndTime(LocalDateTime.now());
            }
            repository.update(fresh);
            execution.setStatus(status);
        } catch (RuntimeException e) {
            // The manager sees the claim end with the partition still running, and counts it lost.
            LOG.warn("could not record the end of {}: {}", execution.getStepName(), e.getMessage());
        }
    }

    /**
     * Stops, after their current chunk, the partitions whose manager has stopped beating (it was killed: nobody follows
     * them now). Called every heartbeat period.
     */
    void checkManagers() {
        for (StepExecution execution : running) {
            try {
                if (!managers.alive(execution.getJobExecutionId(), timeout(execution))) {
                    if (orphaned.add(execution.getId())) {
                        say("the manager of execution " + execution.getJobExecutionId() + " stopped answering: "
                                + "stopping " + partition(execution) + " after its current chunk");
                    }
                    execution.setTerminateOnly();
                }
            } catch (RuntimeException e) {
                LOG.warn("cannot tell whether the manager of execution {} is alive: {}", execution.getJobExecutionId(),
                        e.getMessage());
            }
        }
    }

    private static Duration timeout(StepExecution execution) {
        return RunRequest.of(execution.getJobParameters()).placement() instanceof Placement.Remote remote
                ? remote.workerTimeout() : Placement.Remote.DEFAULT_TIMEOUT;
    }

    /** Asks every partition running here to stop after its current chunk; takes no more. */
    void stop() {
        stopping = true;
        running.forEach(StepExecution::setTerminateOnly);
    }

    boolean idle() {
        return running.isEmpty();
    }

    private static String partition(StepExecution execution) {
        String name = execution.getStepName();
        return name.substring(name.indexOf(':') + 1);
    }

    private void say(String line) {
        LOG.info("{}", line);
        console.println(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " worker " + me.name() + ": "
                + line);
    }
}
