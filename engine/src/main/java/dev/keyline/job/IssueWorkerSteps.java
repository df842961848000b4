package dev.keyline.job;

import static dev.keyline.job.JobParameterNames.ISSUE_WORKER;

import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.transaction.PlatformTransactionManager;

import dev.keyline.device.ManifestRecord;

/**
 * Builds the issue step's worker step (one partition: read a range of rows, issue, commit bundles and ledger rows per
 * chunk) from a run's own settings, since its chunk size is one of them. A local run's partition handler runs it on
 * this process's threads; a {@code keyline worker} builds it per partition request from the partition's execution.
 * Either way the reader, processor and writer are the same step-scoped beans, one set per partition, and each
 * partition's step is built for it.
 */
public final class IssueWorkerSteps {

    private final JobRepository jobs;
    private final PlatformTransactionManager tx;
    private final Database database;
    private final ManifestRangeReader reader;
    private final IssueItemProcessor processor;
    private final IssueItemWriter writer;

    IssueWorkerSteps(JobRepository jobs, PlatformTransactionManager tx, Database database, ManifestRangeReader reader,
                     IssueItemProcessor processor, IssueItemWriter writer) {
        this.jobs = jobs;
        this.tx = tx;
        this.database = database;
        this.reader = reader;
        this.processor = processor;
        this.writer = writer;
    }

    /**
     * The worker step of one partition: its reader, processor and writer are that partition's, found once
     * ({@link PartitionItems}), so a step built here runs one execution.
     *
     * @param threads partitions this process runs at once, for the disk reserve ({@link DiskSpaceGuard})
     */
    private Step forRun(RunRequest run, int threads) {
        DiskSpaceGuard guard = DiskSpaceGuard.of(run.out(), database.localFolder(), run.bundleLayout(), run.pkcs12(),
                run.chunkSize(), threads);
        return new StepBuilder(ISSUE_WORKER, jobs).observationRegistry(RunMetrics.observations())
                .<ManifestRecord, IssueOutcome>chunk(run.chunkSize())
                .transactionManager(tx)
                .reader(PartitionItems.reader(reader))
                .processor(PartitionItems.processor(processor))
                .writer(PartitionItems.writer(writer))
                .listener(guard)
                .build();
    }

    /**
     * The worker step as one step that builds itself from each execution it is given: what a local run's partition
     * handler runs on its threads, and what a worker's step locator hands out for {@code issue-worker}.
     *
     * @param threads partitions this worker runs at once
     */
    public Step perExecution(int threads) {
        IssueWorkerSteps steps = this;
        return new Step() {
            @Override
            public String getName() {
                return ISSUE_WORKER;
            }

            @Override
            public void execute(StepExecution execution) throws JobInterruptedException {
                steps.forRun(RunRequest.of(execution.getJobParameters()), threads).execute(execution);
            }
        };
    }
}
