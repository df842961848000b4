package dev.keyline.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
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
 */
final class BulkRegistrationTasklet implements Tasklet {

    private final Ledger ledger;
    private final RegistrationTasks tasks;
    private final TransactionTemplate requiresNew;
    private final RegistrationProgress progress;

    BulkRegistrationTasklet(Ledger ledger, RegistrationTasks tasks, TransactionTemplate requiresNew, RegistrationProgress progress) {
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
                Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
        try (IotClients clients = new IotClients(IotClients.Settings.forRegistrationTasks())) {
            for (RegistrationTarget target : bulk) {
                registration.register(RegistrationTaskClient.open(target, clients));
            }
        } finally {
            progress.bulkTask("");
        }
        return RepeatStatus.FINISHED;
    }
}
