package dev.keyline.job;

import static dev.keyline.job.JobParameterNames.*;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.partition.PartitionHandler;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

import dev.keyline.aws.Registrars;
import dev.keyline.device.ManifestRecord;
import dev.keyline.device.ManifestScan;
import dev.keyline.ledger.Deregistrations;
import dev.keyline.ledger.Ledger;
import dev.keyline.lint.DeviceLinter;
import dev.keyline.output.OutputExporter;

/**
 * The {@code provision} job: {@code scan} (count rows, find duplicates) → {@code issue} (partitioned: one
 * partition per thread, each a chunk-oriented step that issues devices and commits bundles and ledger rows per
 * chunk) → {@code register} (with the run's AWS IoT targets, if it names any) → {@code export} (output manifest,
 * checksums, rejects, from the ledger). And the {@code register} job: {@code register} → {@code export}.
 */
@Configuration(proxyBeanMethods = false)
public class ProvisionJobConfiguration {

    /** The kit opener comes from whoever opens the context: the product's {@link IssuanceKits}, or a test's. */
    @Bean
    ExecutionKits executionKits(KitOpener opener, ProvisionProgress progress) {
        return new ExecutionKits(opener, progress);
    }

    @Bean
    ProvisionProgress provisionProgress() {
        return new ProvisionProgress();
    }

    @Bean
    ExecutionRegistrars executionRegistrars() {
        return new ExecutionRegistrars();
    }

    @Bean
    RegistrationProgress registrationProgress() {
        return new RegistrationProgress();
    }

    @Bean
    StopRequest stopRequest() {
        return new StopRequest();
    }

    /** Writes report.html at the end of every execution of both jobs. */
    @Bean
    ReportListener reportListener(JobRepository jobs, Ledger ledger) {
        return new ReportListener(new RunReports(jobs, ledger), jobs);
    }

    /** register reads nothing when the run names no targets, so a run without registration only sees it pass. */
    @Bean
    Job provisionJob(JobRepository jobs, @Qualifier("scanStep") Step scan, @Qualifier("issueStep") Step issue,
                     @Qualifier("registerStep") Step register, @Qualifier("bulkRegisterStep") Step bulkRegister,
                     @Qualifier("exportStep") Step export, StopRequest stop, ReportListener report) {
        return new JobBuilder(JOB, jobs).observationRegistry(RunMetrics.observations()).listener(stop).listener(report)
                .start(scan).next(issue).next(register).next(bulkRegister).next(export).build();
    }

    /** keyline register: the same register step on an output issued before, then the output manifest again. */
    @Bean
    Job registerJob(JobRepository jobs, @Qualifier("registerStep") Step register,
                    @Qualifier("bulkRegisterStep") Step bulkRegister, @Qualifier("manifestExportStep") Step export,
                    StopRequest stop, ReportListener report) {
        return new JobBuilder(REGISTER_JOB, jobs).observationRegistry(RunMetrics.observations()).listener(stop)
                .listener(report).start(register).next(bulkRegister).next(export).build();
    }

    /*
     * Registration is I/O-bound: one chunk's devices are registered concurrently (Spring Batch 6 processes a chunk's
     * items on the task executor and waits for all before the write), so the threads wait on AWS while the rate
     * limiters, not the thread count, set the pace. Chunks are small so a kill loses little and progress commits often.
     */
    static final int REGISTER_CHUNK = 100;

    @Bean
    @JobScope
    Step registerStep(JobRepository jobs, PlatformTransactionManager tx, @Value("#{jobExecution}") JobExecution job,
                      PendingRegistrationReader reader, RegisterItemProcessor processor, RegisterItemWriter writer,
                      Ledger ledger) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("keyline-register-");
        executor.setConcurrencyLimit(RegistrationRequest.of(job.getJobParameters()).threads());
        return new StepBuilder("register", jobs).observationRegistry(RunMetrics.observations())
                .<RegistrationWork, DeviceRegistrations>chunk(REGISTER_CHUNK)
                .transactionManager(tx)
                .reader(reader)
                .processor(processor)
                .writer(writer)
                .taskExecutor(executor)
                .listener(thingResourceCheck(ledger))
                .build();
    }

    /**
     * In a run, the thing groups and types of its targets are checked (or created) when the register step starts,
     * before any device: a missing one fails the step naming it, and {@code keyline restart} goes on once it
     * exists. {@code keyline register} has checked them itself before it started the job (exit code 2).
     */
    private static StepExecutionListener thingResourceCheck(Ledger ledger) {
        return new StepExecutionListener() {
            @Override
            public void beforeStep(StepExecution step) {
                JobExecution execution = step.getJobExecution();
                if (execution.getJobInstance().getJobName().equals(REGISTER_JOB)) {
                    return;
                }
                RunRequest run = RunRequest.of(step.getJobParameters());
                if (!run.registration().registers()) {
                    return;
                }
                try {
                    ThingResourceCheck.prepare(ledger, run.outputId(), run.registration(), Optional.of(run.ca()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while checking thing groups and types", e);
                }
            }
        };
    }

    @Bean
    @StepScope
    PendingRegistrationReader pendingRegistrationReader(Ledger ledger, RegistrationProgress progress,
            @Value("#{stepExecution}") StepExecution step, @Value("#{jobParameters['" + OUTPUT_ID + "']}") String outputId) {
        // bulk-task targets are the bulk-register step's
        return new PendingRegistrationReader(ledger, outputId, ExecutionTargets.of(step.getJobExecution()).perCall(), progress);
    }

    @Bean
    @StepScope
    RegisterItemProcessor registerItemProcessor(ExecutionRegistrars registrars, RegistrationProgress progress,
            @Value("#{stepExecution}") StepExecution step, @Value("#{jobParameters['" + OUTPUT_ID + "']}") String outputId) {
        // Created on the first device to register, which needs targets: the provision job keeps them with the run's
        // other settings, the register job with its own.
        JobParameters parameters = step.getJobParameters();
        long execution = step.getJobExecution().getId();
        Registrars opened = step.getJobExecution().getJobInstance().getJobName().equals(REGISTER_JOB)
                ? openFor(registrars, execution, RegistrationRun.of(parameters))
                : registrars.open(execution, RunRequest.of(parameters).registration(),
                        Optional.of(RunRequest.of(parameters).ca()));
        return new RegisterItemProcessor(opened, () -> registrars.close(execution),
                new RunIdentity(outputId, step.getJobExecution().getJobInstanceId(), execution), progress,
                Clock.systemUTC());
    }

    private static Registrars openFor(ExecutionRegistrars registrars, long execution, RegistrationRun run) {
        return registrars.open(execution, run.registration(), run.ca());
    }

    @Bean
    @StepScope
    RegisterItemWriter registerItemWriter(Ledger ledger, Deregistrations deregistrations, ExecutionRegistrars registrars,
                                          @Value("#{stepExecution}") StepExecution step) {
        return new RegisterItemWriter(ledger, deregistrations, registrars, step.getJobExecution().getId(), step.getStepName(),
                Clock.systemUTC());
    }

    @Bean
    Step scanStep(JobRepository jobs, PlatformTransactionManager tx, @Qualifier("scanTasklet") Tasklet tasklet) {
        return new StepBuilder("scan", jobs).observationRegistry(RunMetrics.observations()).tasklet(tasklet, tx).build();
    }

    @Bean
    @JobScope
    Tasklet scanTasklet(@Value("#{jobExecution}") JobExecution job, ProvisionProgress progress) {
        RunRequest run = RunRequest.of(job.getJobParameters());
        return new ScanTasklet(run.manifest(), run.format(), run.manifestSha256(), progress);
    }

    @Bean
    IssueWorkerSteps issueWorkerSteps(JobRepository jobs, PlatformTransactionManager tx, Database database,
                                      ManifestRangeReader reader, IssueItemProcessor processor, IssueItemWriter writer) {
        return new IssueWorkerSteps(jobs, tx, database, reader, processor, writer);
    }

    /*
     * The worker step is built per run (its chunk size is a run setting), not as a bean of its own: partitions run it
     * on other threads, or in other processes, where a job-scoped proxy could not be resolved. Its reader, processor
     * and writer are step-scoped, one set per partition.
     */
    @Bean
    @JobScope
    Step issueStep(JobRepository jobs, @Value("#{jobExecution}") JobExecution job,
                   @Value("#{jobExecutionContext['" + ROWS + "']}") Long rows, IssueWorkerSteps workerSteps,
                   ObjectProvider<RemotePartitions> remote, ProvisionProgress progress) {
        RunRequest run = RunRequest.of(job.getJobParameters());
        PartitionHandler handler;
        if (run.placement() instanceof Placement.Remote placement) {
            handler = remote.getObject().handler(placement, job, rows, run.chunkSize(), progress::committedByWorkers);
        } else {
            SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("keyline-issue-");
            executor.setConcurrencyLimit(run.threads());
            TaskExecutorPartitionHandler local = new TaskExecutorPartitionHandler();
            local.setStep(workerSteps.perExecution(run.threads()));
            local.setTaskExecutor(executor);
            local.setGridSize(run.threads());
            handler = local;
        }
        return new StepBuilder("issue", jobs).observationRegistry(RunMetrics.observations())
                .partitioner(ISSUE_WORKER, new RangePartitioner(rows))
                .partitionHandler(handler)
                .build();
    }

    @Bean
    @StepScope
    ManifestRangeReader manifestRangeReader(@Value("#{stepExecution}") StepExecution step,
                                            @Value("#{stepExecutionContext['" + RangePartitioner.FIRST + "']}") Long first,
                                            @Value("#{stepExecutionContext['" + RangePartitioner.END + "']}") Long end) {
        RunRequest run = RunRequest.of(step.getJobParameters());
        return new ManifestRangeReader(run.manifest(), run.format(), first, end);
    }

    @Bean
    @StepScope
    IssueStepWork issueStepWork(@Value("#{stepExecution}") StepExecution step,
                                @Value("#{jobExecutionContext['" + ROWS + "']}") Long rows,
                                @Value("#{jobExecutionContext['" + DUPLICATES + "']}") Map<Long, Long> duplicates,
                                ExecutionKits kits, Ledger ledger) {
        RunRequest request = RunRequest.of(step.getJobParameters());
        RunIdentity run = new RunIdentity(request.outputId(), step.getJobExecution().getJobInstanceId(),
                step.getJobExecution().getId());
        ExecutionKit kit = kits.lease(step.getJobExecution());
        Optional<DeviceLinter> lint;
        try {
            lint = PreSigningLint.of(kit.kit(), request.template(), request.cnToSan());
        } catch (RuntimeException e) {
            kits.release(run.jobExecutionId());
            throw e;
        }
        return new IssueStepWork(run, kits, kit, new ManifestScan(rows, request.manifestSha256(), duplicates), ledger,
                lint);
    }

    @Bean
    @StepScope
    IssueItemProcessor issueItemProcessor(IssueStepWork work, ProvisionProgress progress) {
        return new IssueItemProcessor(work.provisioner(), progress);
    }

    @Bean
    @StepScope
    IssueItemWriter issueItemWriter(IssueStepWork work, Ledger ledger, @Value("#{stepExecution}") StepExecution step,
                                    ProvisionProgress progress) {
        return new IssueItemWriter(work.provisioner(), ledger, step.getJobExecution().getJobInstanceId(),
                RunRequest.of(step.getJobParameters()).skipLimit(), progress, step.getJobExecution().getId(),
                step.getStepName(), Clock.systemUTC());
    }

    @Bean
    Step exportStep(JobRepository jobs, PlatformTransactionManager tx, @Qualifier("exportTasklet") Tasklet tasklet) {
        return new StepBuilder("export", jobs).observationRegistry(RunMetrics.observations()).tasklet(tasklet, tx).build();
    }

    @Bean
    @JobScope
    Tasklet exportTasklet(Ledger ledger, @Value("#{jobExecution}") JobExecution job) {
        RunRequest run = RunRequest.of(job.getJobParameters());
        return new ExportTasklet(new OutputExporter(ledger, run.out()), run.outputId(), true);
    }

    /** The register job's export: the output manifest again; rejects.csv stays the issuing run's. */
    @Bean
    Step manifestExportStep(JobRepository jobs, PlatformTransactionManager tx, @Qualifier("manifestExportTasklet") Tasklet tasklet) {
        return new StepBuilder("export", jobs).observationRegistry(RunMetrics.observations()).tasklet(tasklet, tx)
                .build();
    }

    @Bean
    @JobScope
    Tasklet manifestExportTasklet(Ledger ledger, @Value("#{jobExecution}") JobExecution job) {
        RegistrationRun run = RegistrationRun.of(job.getJobParameters());
        return new ExportTasklet(new OutputExporter(ledger, run.out()), run.outputId(), false);
    }
}
