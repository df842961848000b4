package dev.keyline.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.tasklet.StoppableTasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.transaction.support.TransactionTemplate;

import dev.keyline.aws.IotClients;
import dev.keyline.aws.RegistrationTarget;
import dev.keyline.aws.RegistrationTaskClient;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.RegistrationTasks;

/**
 * The {@code bulk-register} step: the execution's {@code bulk-task} targets, one after the other (AWS runs one task
 * per account at a time; targets of different accounts could overlap, but one at a time keeps it simple and is
 * never wrong), each through {@link BulkRegistration}. Nothing to do, and done at once, when the execution names no
 * such target. Its ledger writes commit in their own transactions (see {@link BulkRegistration}).
 * <p>
 * Stoppable: a stop request (a signal to {@code run} or {@code register}) ends the wait for a task within a second and the
 * step ends STOPPED; the task goes on in AWS, and the resumed registration polls it.
 */
final class BulkRegistrationTasklet implements StoppableTasklet {

    private static final long STOP_CHECK_MILLIS = 250;

    private final Ledger ledger;
    private final RegistrationTasks tasks;
    private final TransactionTemplate requiresNew;
    private final RegistrationProgress progress;
    private final JobRepository repository;
    private final StopRequest stopRequest;
    private volatile boolean stopped;

    BulkRegistrationTasklet(Ledger ledger, RegistrationTasks tasks, TransactionTemplate requiresNew, RegistrationProgress progress,
                            JobRepository repository, StopRequest stopRequest) {
        this.repository = repository;
        this.stopRequest = stopRequest;
        this.ledger = ledger;
        this.tasks = tasks;
        this.requiresNew = requiresNew;
        this.progress = progress;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        JobExecution execution = chunkContext.getStepContext().getStepExecution().getJobExecution();
        ExecutionTargets targets = ExecutionTargets.of(execution);
        List<RegistrationTarget> bulk = targets.bulk();
        if (bulk.isEmpty()) {
            return RepeatStatus.FINISHED;
        }
        Path workDir = Files.createDirectories(targets.out().resolve(".keyline"));
        RunIdentity run = new RunIdentity(targets.outputId(), execution.getJobInstanceId(), execution.getId());
        BulkRegistration registration = new BulkRegistration(ledger, tasks, requiresNew, run, progress, workDir,
                Clock.systemUTC(), d -> sleep(d, execution.getId()));
        try (IotClients clients = new IotClients(IotClients.Settings.forRegistrationTasks())) {
            for (RegistrationTarget target : bulk) {
                registration.register(RegistrationTaskClient.open(target, clients));
            }
        } catch (InterruptedException e) {
            if (stopped) {
                throw new JobInterruptedException("stopped while following a bulk registration task; it goes on in AWS and "
                        + "the resumed registration polls it");
            }
            Thread.currentThread().interrupt();
            throw e;
        } finally {
            progress.bulkTask("");
        }
        return RepeatStatus.FINISHED;
    }

    /**
     * Waits, checking for a stop: a signal to this process ({@link StopRequest}), {@link #stop()} (JobOperator's way,
     * when it reaches the tasklet), or the execution marked STOPPING in the job repository (another process).
     */
    private void sleep(java.time.Duration duration, long executionId) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        while (true) {
            if (stopRequest.requested()) {
                stopped = true;
            } else {
                JobExecution now = repository.getJobExecution(executionId);
                if (now != null && now.getStatus() == BatchStatus.STOPPING) {
                    stopped = true;
                }
            }
            if (stopped) {
                throw new InterruptedException("stop requested");
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(STOP_CHECK_MILLIS, Math.max(1, left / 1_000_000)));
        }
    }

    @Override
    public void stop() {
        stopped = true;
    }
}
