package dev.keyline.job;

import static dev.keyline.job.JobParameterNames.*;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

import dev.keyline.bundle.BundleLayout;
import dev.keyline.device.ManifestFormat;
import dev.keyline.device.ManifestRecord;
import dev.keyline.device.ManifestScan;
import dev.keyline.ledger.Ledger;
import dev.keyline.output.OutputExporter;

/**
 * The {@code provision} job: {@code scan} (count rows, find duplicates) → {@code issue} (partitioned: one
 * partition per thread, each a chunk-oriented step that issues devices and commits bundles and ledger rows per
 * chunk) → {@code register} (with the run's AWS IoT targets, if it names any) → {@code export} (output manifest,
 * checksums, rejects, from the ledger). And the {@code register} job: {@code register} → {@code export}.
 */
@Configuration(proxyBeanMethods = false)
public class ProvisionJobConfiguration {

    @Bean
    Ledger ledger(DataSource dataSource) {
        Ledger ledger = new Ledger(dataSource);
        ledger.createSchema();
        return ledger;
    }

    @Bean
    BatchSchema batchSchema(DataSource dataSource, BatchJdbcProperties properties) {
        return new BatchSchema(dataSource, properties);
    }

    @Bean
    KitHolder kitHolder() {
        return new KitHolder();
    }

    @Bean
    ProvisionProgress provisionProgress() {
        return new ProvisionProgress();
    }

    @Bean
    RegistrarHolder registrarHolder() {
        return new RegistrarHolder();
    }

    @Bean
    RegistrationProgress registrationProgress() {
        return new RegistrationProgress();
    }

    @Bean
    StopRequest stopRequest() {
        return new StopRequest();
    }

    /** register reads nothing when the run names no targets, so a run without registration only sees it pass. */
    @Bean
    Job provisionJob(JobRepository jobs, @Qualifier("scanStep") Step scan, @Qualifier("issueStep") Step issue,
                     @Qualifier("registerStep") Step register, @Qualifier("exportStep") Step export,
                     StopRequest stop) {
        return new JobBuilder(JOB, jobs).listener(stop).start(scan).next(issue).next(register).next(export).build();
    }

    /** keyline register: the same register step on an output issued before, then the output manifest again. */
    @Bean
    Job registerJob(JobRepository jobs, @Qualifier("registerStep") Step register,
                    @Qualifier("manifestExportStep") Step export, StopRequest stop) {
        return new JobBuilder(REGISTER_JOB, jobs).listener(stop).start(register).next(export).build();
    }

    /*
     * Registration is I/O-bound: one chunk's devices are registered concurrently (Spring Batch 6 processes a chunk's
     * items on the task executor and waits for all before the write), so the threads wait on AWS while the rate
     * limiters, not the thread count, set the pace. Chunks are small so a kill loses little and progress commits often.
     */
    static final int REGISTER_CHUNK = 100;

    @Bean
    @JobScope
    Step registerStep(JobRepository jobs, PlatformTransactionManager tx,
                      @Value("#{jobParameters['" + REGISTER_THREADS + "'] ?: 8}") Long threads,
                      PendingRegistrationReader reader, RegisterItemProcessor processor, RegisterItemWriter writer) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("keyline-register-");
        executor.setConcurrencyLimit(threads.intValue());
        return new StepBuilder("register", jobs)
                .<RegistrationWork, DeviceRegistrations>chunk(REGISTER_CHUNK)
                .transactionManager(tx)
                .reader(reader)
                .processor(processor)
                .writer(writer)
                .taskExecutor(executor)
                .build();
    }

    @Bean
    @StepScope
    PendingRegistrationReader pendingRegistrationReader(Ledger ledger, RegistrationProgress progress,
            @Value("#{jobParameters['" + OUTPUT_ID + "']}") String outputId,
            @Value("#{jobParameters['" + REGISTER_TARGETS + "'] ?: ''}") String targets) {
        return new PendingRegistrationReader(ledger, outputId,
                targets.isEmpty() ? List.of() : List.of(targets.split(",")), progress);
    }

    @Bean
    @StepScope
    RegisterItemProcessor registerItemProcessor(RegistrarHolder holder, RegistrationProgress progress,
            @Value("#{stepExecution}") StepExecution step, @Value("#{jobParameters['" + OUTPUT_ID + "']}") String outputId) {
        // Reached only when the reader found work, which needs targets, which need registrars.
        return new RegisterItemProcessor(holder.registrars().orElseThrow(() -> new IllegalStateException(
                "the run names targets but no registrars were opened: start it with keyline run/register/restart")),
                new RunIdentity(outputId, step.getJobExecution().getJobInstanceId(), step.getJobExecution().getId()),
                progress, Clock.systemUTC());
    }

    @Bean
    @StepScope
    RegisterItemWriter registerItemWriter(Ledger ledger) {
        return new RegisterItemWriter(ledger);
    }

    @Bean
    Step scanStep(JobRepository jobs, PlatformTransactionManager tx, @Qualifier("scanTasklet") Tasklet tasklet) {
        return new StepBuilder("scan", jobs).tasklet(tasklet, tx).build();
    }

    @Bean
    @JobScope
    Tasklet scanTasklet(@Value("#{jobParameters['" + MANIFEST + "']}") String manifest,
                            @Value("#{jobParameters['" + FORMAT + "']}") String format,
                            @Value("#{jobParameters['" + MANIFEST_SHA256 + "']}") String sha256, ProvisionProgress progress) {
        return new ScanTasklet(Path.of(manifest), ManifestFormat.valueOf(format), sha256, progress);
    }

    /*
     * The worker step is built here, not as a bean of its own: partitions run it on other threads, where a
     * job-scoped proxy could not be resolved. Its reader, processor and writer are step-scoped, one set per
     * partition.
     */
    @Bean
    @JobScope
    Step issueStep(JobRepository jobs, PlatformTransactionManager tx,
                   @Value("#{jobParameters['" + THREADS + "']}") Long threads,
                   @Value("#{jobParameters['" + CHUNK_SIZE + "']}") Long chunkSize,
                   @Value("#{jobExecutionContext['" + ROWS + "']}") Long rows,
                   @Value("#{jobParameters['" + OUT + "']}") String out,
                   @Value("#{jobParameters['" + BUNDLE_LAYOUT + "'] ?: 'dir'}") String layout,
                   @Value("#{jobParameters['" + PKCS12 + "'] ?: 'false'}") String pkcs12,
                   Database database,
                   ManifestRangeReader reader, IssueItemProcessor processor, IssueItemWriter writer) {
        DiskSpaceGuard guard = DiskSpaceGuard.of(Path.of(out), database.localFolder(), BundleLayout.fromId(layout),
                Boolean.parseBoolean(pkcs12), chunkSize.intValue(), threads.intValue());
        Step worker = new StepBuilder(ISSUE_WORKER, jobs)
                .<ManifestRecord, IssueOutcome>chunk(chunkSize.intValue())
                .transactionManager(tx)
                .reader(reader)
                .processor(processor)
                .writer(writer)
                .listener(guard)
                .build();
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("keyline-issue-");
        executor.setConcurrencyLimit(threads.intValue());
        TaskExecutorPartitionHandler handler = new TaskExecutorPartitionHandler();
        handler.setStep(worker);
        handler.setTaskExecutor(executor);
        handler.setGridSize(threads.intValue());
        return new StepBuilder("issue", jobs)
                .partitioner(ISSUE_WORKER, new RangePartitioner(rows))
                .partitionHandler(handler)
                .build();
    }

    @Bean
    @StepScope
    ManifestRangeReader manifestRangeReader(@Value("#{jobParameters['" + MANIFEST + "']}") String manifest,
                                            @Value("#{jobParameters['" + FORMAT + "']}") String format,
                                            @Value("#{stepExecutionContext['" + RangePartitioner.FIRST + "']}") Long first,
                                            @Value("#{stepExecutionContext['" + RangePartitioner.END + "']}") Long end) {
        return new ManifestRangeReader(Path.of(manifest), ManifestFormat.valueOf(format), first, end);
    }

    @Bean
    @StepScope
    IssueStepWork issueStepWork(@Value("#{stepExecution}") StepExecution step,
                                @Value("#{jobParameters['" + OUTPUT_ID + "']}") String outputId,
                                @Value("#{jobExecutionContext['" + ROWS + "']}") Long rows,
                                @Value("#{jobParameters['" + MANIFEST_SHA256 + "']}") String sha256,
                                @Value("#{jobExecutionContext['" + DUPLICATES + "']}") Map<Long, Long> duplicates,
                                @Value("#{jobParameters['" + TEMPLATE + "'] ?: ''}") String template,
                                @Value("#{jobParameters['" + CN_TO_SAN + "'] ?: 'false'}") String cnToSan,
                                KitHolder kits, Ledger ledger) {
        RunIdentity run = new RunIdentity(outputId, step.getJobExecution().getJobInstanceId(),
                step.getJobExecution().getId());
        return new IssueStepWork(run, kits, new ManifestScan(rows, sha256, duplicates), ledger,
                PreSigningLint.of(kits.kit(), template, Boolean.parseBoolean(cnToSan)));
    }

    @Bean
    @StepScope
    IssueItemProcessor issueItemProcessor(IssueStepWork work, ProvisionProgress progress) {
        return new IssueItemProcessor(work.provisioner(), progress);
    }

    @Bean
    @StepScope
    IssueItemWriter issueItemWriter(IssueStepWork work, Ledger ledger, @Value("#{stepExecution}") StepExecution step,
                                    @Value("#{jobParameters['" + SKIP_LIMIT + "']}") Long skipLimit,
                                    ProvisionProgress progress) {
        return new IssueItemWriter(work.provisioner(), ledger, step.getJobExecution().getJobInstanceId(), skipLimit,
                progress);
    }

    @Bean
    Step exportStep(JobRepository jobs, PlatformTransactionManager tx, @Qualifier("exportTasklet") Tasklet tasklet) {
        return new StepBuilder("export", jobs).tasklet(tasklet, tx).build();
    }

    @Bean
    @JobScope
    Tasklet exportTasklet(Ledger ledger, @Value("#{jobParameters['" + OUT + "']}") String out,
                                @Value("#{jobParameters['" + OUTPUT_ID + "']}") String outputId) {
        return new ExportTasklet(new OutputExporter(ledger, Path.of(out)), outputId, true);
    }

    /** The register job's export: the output manifest again; rejects.csv stays the issuing run's. */
    @Bean
    Step manifestExportStep(JobRepository jobs, PlatformTransactionManager tx, @Qualifier("manifestExportTasklet") Tasklet tasklet) {
        return new StepBuilder("export", jobs).tasklet(tasklet, tx).build();
    }

    @Bean
    @JobScope
    Tasklet manifestExportTasklet(Ledger ledger, @Value("#{jobParameters['" + OUT + "']}") String out,
                                  @Value("#{jobParameters['" + OUTPUT_ID + "']}") String outputId) {
        return new ExportTasklet(new OutputExporter(ledger, Path.of(out)), outputId, false);
    }
}
