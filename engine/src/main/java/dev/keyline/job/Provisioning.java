package dev.keyline.job;

import static dev.keyline.job.JobParameterNames.*;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;

import ch.qos.logback.classic.LoggerContext;

import dev.keyline.aws.Registrar;
import dev.keyline.job.remote.BrokerConnection;
import dev.keyline.job.remote.KeylineWorker;
import dev.keyline.job.remote.WorkerIdentity;
import dev.keyline.job.remote.WorkerRegistry;
import dev.keyline.bundle.ArchiveBundleWriter;
import dev.keyline.bundle.DirectoryBundleWriter;
import dev.keyline.ledger.Ledger;
import dev.keyline.output.ManifestRowsWriter;
import dev.keyline.output.OutputExporter;

/**
 * The job, seen from the CLI: start a run, resume one, list an output's executions. Owns the Spring context
 * (database pool, JobRepository) for one command. Not thread-safe.
 */
public final class Provisioning implements AutoCloseable {

    /**
     * The exit code of an execution whose process died, set when it is recovered: Spring Batch's recovery leaves no mark
     * of its own, and the execution context would not do (a restart copies it into the next execution).
     */
    private static final String DIED = "DIED";

    private final ConfigurableApplicationContext context;
    private final JobOperator operator;
    private final JobRepository repository;
    private final Ledger ledger;
    private final Database database;
    private final Optional<LedgerWatchdog> watchdog;
    private final ContendedStart starts;
    private boolean compactOnClose;
    private long strayRows;
    private java.util.function.Consumer<AutoRestart> autoRestartListener = restart -> { };

    private Provisioning(ConfigurableApplicationContext context, Database database, Optional<LedgerWatchdog> watchdog) {
        this.context = context;
        this.database = database;
        this.watchdog = watchdog;
        this.operator = context.getBean(JobOperator.class);
        this.repository = context.getBean(JobRepository.class);
        this.ledger = context.getBean(Ledger.class);
        this.starts = ContendedStart.standard(this::startedExecution);
    }

    /**
     * Starts the application on a database.
     *
     * @param database where the JobRepository and the ledger live
     * @param logFile  where Spring and Spring Batch log; the console stays for the CLI's own messages
     */
    public static Provisioning open(Database database, java.nio.file.Path logFile, int threads) {
        return open(database, logFile, threads, NO_KITS);
    }

    /**
     * Starts only what reads an output's executions and ledger ({@link RunHistoryApplication}: {@code keyline status}),
     * on a database and log file set up as {@link #open} sets them up. Nothing here starts, restarts or stops a job.
     */
    public static Provisioning openForReading(Database database, java.nio.file.Path logFile) {
        return start(RunHistoryApplication.class, database, logFile, 1, NO_KITS);
    }

    private static final KitOpener NO_KITS = request -> {
        throw new IllegalStateException("this command reads runs and does not issue: it opened no issuance kit");
    };

    /**
     * Starts the application on a database, for a command that issues.
     *
     * @param kits opens each execution's kit from its settings, with this process's secrets ({@link IssuanceKits})
     */
    public static Provisioning open(Database database, java.nio.file.Path logFile, int threads, KitOpener kits) {
        return start(ProvisionApplication.class, database, logFile, threads, kits);
    }

    private static Provisioning start(Class<?> application, Database database, java.nio.file.Path logFile, int threads,
                                      KitOpener kits) {
        SpringApplication app = new SpringApplication(application);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setRegisterShutdownHook(false);
        Map<String, Object> p = new HashMap<>();
        // An H2 file tells LedgerWatchdog when it cannot write (LedgerFailureListener): H2 may hang after that.
        Optional<LedgerWatchdog> watchdog = database.localFile().map(f -> LedgerWatchdog.watch(database.url()));
        p.put("spring.datasource.url", database.url() + (watchdog.isPresent()
                ? ";DATABASE_EVENT_LISTENER='" + LedgerFailureListener.class.getName() + "'" : ""));
        database.user().ifPresent(u -> p.put("spring.datasource.username", u));
        database.password().ifPresent(pw -> p.put("spring.datasource.password", new String(pw)));
        p.put("spring.datasource.hikari.maximum-pool-size", Integer.toString(threads + 4));
        p.put("spring.datasource.hikari.pool-name", "keyline");
        p.put("spring.batch.job.enabled", "false");
        // A file database does not count as embedded, so Boot would skip the schema otherwise; BatchSchema runs the
        // script only when the tables are missing.
        p.put("spring.batch.jdbc.initialize-schema", "always");
        p.put("logging.file.name", logFile.toString());
        // Spring Boot's file appender with inert messages and stack traces, built without XML (KeylineLoggingSystem).
        p.put("logging.config", KeylineLoggingSystem.TEXT_LOG);
        p.put("logging.threshold.console", "OFF");
        p.put("logging.level.root", "INFO");
        p.put("logging.level.com.zaxxer.hikari", "WARN");
        p.put("spring.main.log-startup-info", "false");
        app.setDefaultProperties(p);
        app.addListeners(new QuietLogFailures(logFile));
        app.addInitializers(context -> context.getBeanFactory().registerSingleton("kitOpener", kits));
        // The job needs to know where the ledger lives (DiskSpaceGuard checks its disk), not only how to connect.
        app.addInitializers(context -> context.getBeanFactory().registerSingleton("database", database));
        try {
            return new Provisioning(app.run(), database, watchdog);
        } catch (RuntimeException e) {
            watchdog.ifPresent(LedgerWatchdog::close);
            throw e;
        }
    }

    /** A job of the context, looked up when it starts: a context that only reads ({@link #openForReading}) has none. */
    private Job job(String name) {
        return context.getBean(name, Job.class);
    }

    /**
     * Once Spring Boot has configured logback (its logging listener runs first), puts {@link LogFileStatusListener}
     * in place of Boot's console status listener.
     */
    private record QuietLogFailures(Path logFile)
            implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

        @Override
        public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
            if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
                LogFileStatusListener.install(logback, logFile, System.err);
            }
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    /**
     * Starts a {@code keyline worker} on this context's database: it registers itself and takes the partitions of
     * remote runs from the queue until {@link KeylineWorker#requestStop()}.
     */
    public KeylineWorker startWorker(WorkerIdentity me, BrokerConnection broker, java.io.PrintStream console) {
        return KeylineWorker.start(me, broker, repository, context.getBean(WorkerRegistry.class),
                context.getBean(IssueWorkerSteps.class), console);
    }

    /** The workers of remote runs seen (a heartbeat) in the last {@code seconds}, newest first ({@code status}). */
    public List<WorkerRegistry.WorkerRow> workersSeenWithin(long seconds) {
        return context.getBean(WorkerRegistry.class).seenWithin(seconds);
    }

    /** Every step execution of an execution, in the order they were created. */
    public List<StepSummary> steps(long executionId) {
        JobExecution execution = repository.getJobExecution(executionId);
        if (execution == null) {
            return List.of();
        }
        return execution.getStepExecutions().stream().sorted(Comparator.comparingLong(StepExecution::getId))
                .map(s -> new StepSummary(s.getStepName(), s.getStatus().name(), s.getExitStatus().getExitCode(),
                        s.getReadCount(), s.getWriteCount(), s.getFilterCount(), s.getCommitCount(),
                        s.getRollbackCount(), Optional.ofNullable(s.getStartTime()), Optional.ofNullable(s.getEndTime())))
                .toList();
    }

    /** The partitions of an execution with the worker that took each ({@code status} of a remote run). */
    public List<PartitionSummary> partitions(long executionId) {
        JobExecution execution = repository.getJobExecution(executionId);
        if (execution == null) {
            return List.of();
        }
        WorkerRegistry registry = context.getBean(WorkerRegistry.class);
        Map<Long, String> claimedBy = new HashMap<>();
        if (remote(execution)) {
            // Only remote runs have claims; a ledger made before them, opened read-only, has not even their table.
            registry.claims(executionId).forEach(c -> claimedBy.put(c.stepExecutionId(), c.workerId()));
        }
        Map<String, Optional<WorkerIdentity>> workers = new HashMap<>();
        List<PartitionSummary> result = new ArrayList<>();
        for (StepExecution s : execution.getStepExecutions()) {
            if (!s.getStepName().startsWith(ISSUE_WORKER + ":")) {
                continue;
            }
            Optional<WorkerIdentity> worker = Optional.ofNullable(claimedBy.get(s.getId()))
                    .flatMap(id -> workers.computeIfAbsent(id, w -> registry.worker(w).map(WorkerRegistry.WorkerRow::identity)));
            String why = s.getStatus() == BatchStatus.COMPLETED || s.getStatus().isRunning() ? ""
                    : PartitionFailedException.firstLine(s.getExitStatus().getExitDescription());
            result.add(new PartitionSummary(s.getStepName().substring(ISSUE_WORKER.length() + 1), s.getStatus().name(),
                    s.getExecutionContext().getLong(RangePartitioner.FIRST, 0),
                    s.getExecutionContext().getLong(RangePartitioner.END, 0), s.getWriteCount(), worker, why));
        }
        result.sort(Comparator.comparing(PartitionSummary::name));
        return result;
    }

    public ProvisionProgress progress() {
        return context.getBean(ProvisionProgress.class);
    }

    /**
     * Rows the last restart found in the ledger past a partition's committed position, left by a chunk that never
     * committed, and removed so that they are issued again (see {@link UncommittedRows}); 0 on a consistent ledger.
     */
    public long strayRowsRemoved() {
        return strayRows;
    }

    public Ledger ledger() {
        return ledger;
    }

    /**
     * Why the ledger may lack what this Keyline reads: it was made by an earlier one and opened read-only, so not
     * brought up to date ({@code status} on an idle output). Empty when it is up to date.
     */
    public Optional<String> ledgerBehind() {
        return ledger.schema().behind();
    }

    /** The devices a run (job instance) has issued and rejected, committed, over all its executions. */
    public CommittedCounts committed(long instanceId) {
        return new CommittedCounts(ledger.identities().countIssuedBy(instanceId),
                ledger.rejections().countRejected(instanceId));
    }

    /** The accounts the output's manifest rows name in their {@code accounts} column. */
    public Set<String> accountsNamed(String outputId) {
        return ledger.pendingRegistrations().accountsNamed(outputId);
    }

    /** The output's registrations per target, as the ledger has them. */
    public RegistrationReport registrationReport(String outputId) {
        return RegistrationReport.of(ledger.registrations().registrationCounts(outputId),
                ledger.pendingRegistrations().countWithoutRegistrationInput(outputId));
    }

    /** CSR keys still marked in flight when their execution's kit closed (0 unless a chunk leaked one); for tests. */
    long csrKeysLeftBehind() {
        return context.getBean(ExecutionKits.class).csrKeysLeftBehind();
    }

    /** The last execution of the run (job instance) for exactly this manifest content and output, if any. */
    public Optional<RunState> lastExecution(RunRequest request) {
        return Optional.ofNullable(repository.getLastJobExecution(JOB, request.toJobParameters())).map(this::state);
    }

    /**
     * The execution this process started last, known without the database: when the job throws (a full disk keeps
     * the repository from recording its end), this tells a run that failed from one that never started.
     */
    public OptionalLong startedExecution() {
        return context.getBean(StopRequest.class).started();
    }

    /** The registrars registering in this process now (none between register steps), for their per-call counts. */
    public List<Registrar> workingRegistrars() {
        return context.getBean(ExecutionRegistrars.class).working();
    }

    /** Tells of every AWS IoT registrar this process opens from now on, one per target and execution (metrics). */
    public void whenRegistrarOpened(java.util.function.Consumer<Registrar> listener) {
        context.getBean(ExecutionRegistrars.class).whenOpened(listener);
    }

    public RegistrationProgress registrationProgress() {
        return context.getBean(RegistrationProgress.class);
    }

    /**
     * Asks the execution this process runs to stop after its current chunk (callable from any thread, e.g. a signal's):
     * each step commits the chunk it is in, then ends STOPPED, and so does the execution; a restart resumes it. Before
     * the execution exists, it stops before its first step.
     */
    public void requestStop() {
        OptionalLong running = context.getBean(StopRequest.class).request();
        if (running.isPresent()) {
            // A copy read from the repository: the job's own thread keeps working on its instance.
            JobExecution execution = repository.getJobExecution(running.getAsLong());
            if (execution == null) {
                return;
            }
            // stop() looks the job's steps up by name, and the issue step is job-scoped: the scope must be active on
            // this thread too (the execution's scope context is shared, and counted, across threads).
            JobSynchronizationManager.register(execution);
            try {
                operator.stop(execution);
            } catch (JobExecutionNotRunningException e) {
                // it ended meanwhile: there is nothing left to stop
            } finally {
                JobSynchronizationManager.release();
            }
        }
    }

    /**
     * Starts a new run; blocks until it ends. Its kit and its registrars are opened from its settings by the steps
     * that need them.
     */
    public RunState start(RunRequest request) throws Exception {
        clearUncommittedBundles(request.out(), request.outputId());
        progress().baseline(0);
        JobExecution ended = starts.run("the start of the run",
                () -> operator.start(job("provisionJob"), request.toJobParameters()));
        return autoRestarted(request, state(ended));
    }

    /**
     * What a remote run's manager says when it restarts the run itself ({@code --auto-restart}): which partitions were
     * lost and why. Only told, never asked: the restart goes ahead.
     */
    public void onAutoRestart(java.util.function.Consumer<AutoRestart> listener) {
        this.autoRestartListener = listener;
    }

    /**
     * An automatic restart of a remote run.
     *
     * @param attempt 1 for the first of {@code of}
     * @param why     the lost partitions, each with its reason
     */
    public record AutoRestart(long executionId, int attempt, int of, List<String> why) {
    }

    /**
     * A remote run that ended because partitions were lost with their workers (or their workers stopped) is restarted
     * here, up to {@code --auto-restart} times, unless it was asked to stop: only the unfinished partitions go out
     * again, to the workers that are left. A failure of the work itself (a bad CA, a full disk) is not retried.
     */
    private RunState autoRestarted(RunRequest request, RunState ended) throws Exception {
        if (!(request.placement() instanceof Placement.Remote remote)) {
            return ended;
        }
        RunState state = ended;
        for (int attempt = 1; attempt <= remote.autoRestart() && !state.completed()
                && !context.getBean(StopRequest.class).requested(); attempt++) {
            List<String> lost = lostWork(state.executionId());
            if (lost.isEmpty()) {
                break;
            }
            autoRestartListener.accept(new AutoRestart(state.executionId(), attempt, remote.autoRestart(), lost));
            state = state(restart(repository.getJobExecution(state.executionId())));
        }
        return state;
    }

    /** The partitions of an execution that ended with their worker rather than their work, each with its reason. */
    private List<String> lostWork(long executionId) {
        List<String> lost = new ArrayList<>();
        List<StepExecution> partitions = repository.getJobExecution(executionId).getStepExecutions().stream()
                .filter(s -> s.getStepName().startsWith(ISSUE_WORKER + ":")).toList();
        for (StepExecution s : partitions) {
            String code = s.getExitStatus().getExitCode();
            if (code.equals(RemotePartitions.WORKER_LOST) || code.equals(RemotePartitions.WORKER_STOPPED)) {
                lost.add(PartitionFailedException.firstLine(s.getExitStatus().getExitDescription()));
            } else if (s.getStatus() == BatchStatus.FAILED) {
                return List.of(); // the work itself failed somewhere: a restart would fail again
            }
        }
        return lost;
    }

    /**
     * Resumes an execution that failed, was stopped, or whose process died (its status still says it runs; the
     * caller holds the output's lock, so no process is running it). Blocks until it ends.
     */
    public RunState restart(long executionId) throws Exception {
        JobExecution previous = repository.getJobExecution(executionId);
        if (previous == null) {
            throw new IllegalArgumentException("no execution " + executionId);
        }
        return autoRestarted(RunRequest.of(previous.getJobParameters()), state(restart(previous)));
    }

    /**
     * What a process that died left of chunks that never committed: staged files, and chunk archives and manifest row
     * files published right before a commit that did not happen. Their devices are issued again.
     */
    private void clearUncommittedBundles(Path out, String outputId) throws IOException {
        DirectoryBundleWriter.cleanStaging(out);
        Set<String> recorded = new HashSet<>();
        ledger.archives().archives(outputId).forEach(a -> recorded.add(a.path()));
        ArchiveBundleWriter.removeUnrecorded(out, recorded);
        Set<String> recordedRows = new HashSet<>();
        ledger.manifestChunks().manifestChunks(outputId).forEach(c -> recordedRows.add(c.path()));
        ManifestRowsWriter.removeUnrecorded(out, recordedRows);
    }

    private JobExecution restart(JobExecution previous) throws Exception {
        RunRequest previousRequest = RunRequest.of(previous.getJobParameters());
        boolean died = previous.getStatus().isRunning() || previous.getStatus() == BatchStatus.UNKNOWN;
        if (died && previousRequest.placement() instanceof Placement.Remote remote) {
            // Its manager died, but its workers may still be running partitions: let them stop first.
            context.getBean(RemotePartitions.class).quiesce(previous, remote);
            previous = repository.getJobExecution(previous.getId());
        }
        clearUncommittedBundles(previousRequest.out(), previousRequest.outputId());
        if (died) {
            previous = recoverDied(previous);
        }
        strayRows = UncommittedRows.remove(previous, ledger).stream().mapToLong(UncommittedRows.Stray::rows).sum();
        long instance = previous.getJobInstanceId();
        Object rows = previous.getExecutionContext().get(ROWS);
        if (rows instanceof Long total) {
            progress().total(total);
        }
        progress().baseline(ledger.identities().countIssuedBy(instance) + ledger.rejections().countRejected(instance));
        JobExecution resumed = previous;
        return starts.run("the restart of execution " + previous.getId(), () -> operator.restart(resumed));
    }

    /**
     * Marks an execution whose process died as failed, so it can be restarted. Spring Batch's recovery ends it now;
     * it ended when its last chunk committed (its steps' last update), and that is what {@code status} shows.
     */
    private JobExecution recoverDied(JobExecution died) {
        Optional<LocalDateTime> lastCommit = lastUpdate(died);
        JobExecution recovered = operator.recover(died);
        lastCommit.ifPresent(recovered::setEndTime);
        recovered.setExitStatus(new ExitStatus(DIED, "the process died (killed, power lost) after its last committed "
                + "chunk; a restart recovered it"));
        repository.update(recovered);
        return recovered;
    }

    /** The newest update of an execution's steps (each chunk commit updates its step), else of the execution. */
    private static Optional<LocalDateTime> lastUpdate(JobExecution execution) {
        return execution.getStepExecutions().stream().map(StepExecution::getLastUpdated).filter(java.util.Objects::nonNull)
                .max(Comparator.naturalOrder()).or(() -> Optional.ofNullable(execution.getLastUpdated()));
    }

    // ------------------------------------------------------------------ registration only

    /** The newest {@code register} execution of this output, if any. */
    public Optional<RunState> lastRegistration(java.nio.file.Path out) {
        return newestOf(REGISTER_JOB, out);
    }

    /** The newest {@code deregister} execution of this output, if any. */
    public Optional<RunState> lastDeregistration(java.nio.file.Path out) {
        return newestOf(DEREGISTER_JOB, out);
    }

    private Optional<RunState> newestOf(String jobName, java.nio.file.Path out) {
        String wanted = out.toAbsolutePath().normalize().toString();
        JobExecution newest = null;
        for (JobInstance instance : repository.findJobInstances(jobName)) {
            for (JobExecution execution : repository.getJobExecutions(instance)) {
                if (wanted.equals(execution.getJobParameters().getString(OUT))
                        && (newest == null || execution.getId() > newest.getId())) {
                    newest = execution;
                }
            }
        }
        return Optional.ofNullable(newest).map(this::state);
    }

    /** The output's {@code keyline register} executions, newest first, with what each registered. */
    public List<RegistrationExecution> registrationExecutions(java.nio.file.Path out, String outputId) {
        return executionsOf(REGISTER_JOB, out, ledger.registrations().registrationTallies(outputId));
    }

    /**
     * The output's {@code keyline deregister} executions, newest first: "registered" counts the pairs each took back
     * that stay so, "failed" those whose last attempt, by it, failed (they are still in flight).
     */
    public List<RegistrationExecution> deregistrationExecutions(java.nio.file.Path out, String outputId) {
        return executionsOf(DEREGISTER_JOB, out, deregistrations().tallies(outputId));
    }

    private List<RegistrationExecution> executionsOf(String jobName, java.nio.file.Path out,
                                                     Map<Long, dev.keyline.ledger.RegistrationTally> tallies) {
        String wanted = out.toAbsolutePath().normalize().toString();
        List<RegistrationExecution> result = new ArrayList<>();
        for (JobInstance instance : repository.findJobInstances(jobName)) {
            for (JobExecution e : repository.getJobExecutions(instance)) {
                if (!wanted.equals(e.getJobParameters().getString(OUT))) {
                    continue;
                }
                var tally = tallies.getOrDefault(e.getId(), dev.keyline.ledger.RegistrationTally.NONE);
                result.add(new RegistrationExecution(e.getId(), e.getStatus().name(),
                        e.getStatus().isRunning(), e.getStartTime(), Optional.ofNullable(e.getEndTime()), lastUpdate(e),
                        RegistrationRun.of(e.getJobParameters()).registration().targets(), tally.registered(), tally.failed()));
            }
        }
        result.sort(Comparator.comparingLong(RegistrationExecution::executionId).reversed());
        return result;
    }

    /** The settings a {@code register} execution was started with. */
    public RegistrationRun registrationOf(long executionId) {
        return RegistrationRun.of(repository.getJobExecution(executionId).getJobParameters());
    }

    /** Starts a {@code register} run; blocks until it ends. */
    public RunState register(RegistrationRun run) throws Exception {
        return state(starts.run("the start of the registration",
                () -> operator.start(job("registerJob"), run.toJobParameters(System.currentTimeMillis()))));
    }

    /** The ledger's side of {@code keyline deregister}: selections, marking, outcomes. */
    public Withdrawals withdrawals() {
        return new Withdrawals(deregistrations());
    }

    private dev.keyline.ledger.Deregistrations deregistrations() {
        return context.getBean(dev.keyline.ledger.Deregistrations.class);
    }

    /**
     * Starts a {@code deregister} run, which takes back the pairs in flight with its targets (marked with
     * {@link Withdrawals#mark} before); blocks until it ends.
     */
    public RunState deregister(RegistrationRun run) throws Exception {
        return state(starts.run("the start of the deregistration",
                () -> operator.start(job("deregisterJob"), run.toJobParameters(System.currentTimeMillis()))));
    }

    /**
     * Resumes a {@code register} or {@code deregister} execution that failed or whose process died; blocks until it
     * ends.
     */
    public RunState resumeRegistration(long executionId) throws Exception {
        JobExecution previous = repository.getJobExecution(executionId);
        if (previous.getStatus().isRunning() || previous.getStatus() == BatchStatus.UNKNOWN) {
            previous = recoverDied(previous);
        }
        JobExecution resumed = previous;
        return state(starts.run("the restart of execution " + previous.getId(), () -> operator.restart(resumed)));
    }

    /** Devices of the output still to register, per target ({@code keyline register --plan}, progress). */
    public Map<String, Long> pendingRegistrations(String outputId, List<String> targets) {
        Map<String, Long> pending = new java.util.LinkedHashMap<>();
        for (String target : targets) {
            pending.put(target, ledger.pendingRegistrations().countPendingRegistrations(outputId, target, true));
        }
        return pending;
    }

    /**
     * Before a registration: checks that the thing groups and types the pending devices use exist in each target's
     * account, creating those the targets allow ({@code create-thing-groups}, {@code create-thing-type}). Calls AWS.
     *
     * @return one line per target that created something
     * @throws dev.keyline.aws.ThingResourceException naming a missing group or type (exit code 2); nothing is registered
     */
    public List<String> prepareThingResources(String outputId, RegistrationRequest request, java.nio.file.Path ca)
            throws InterruptedException {
        return ThingResourceCheck.prepare(ledger, outputId, request, Optional.of(ca));
    }

    public Optional<RunState> execution(long executionId) {
        return Optional.ofNullable(repository.getJobExecution(executionId)).map(this::state);
    }

    /** The settings an execution was started with. */
    public RunRequest requestOf(long executionId) {
        return RunRequest.of(repository.getJobExecution(executionId).getJobParameters());
    }

    private RunState state(JobExecution e) {
        String exit = e.getExitStatus() == null ? "" : e.getExitStatus().getExitDescription();
        List<Throwable> causes = causesFirst(e);
        if (remote(e)) {
            causes = new ArrayList<>(causes);
            causes.addAll(0, remoteFailures(e.getId()));
        }
        return new RunState(e.getId(), e.getJobInstanceId(), e.getStatus().name(), e.getStatus() == BatchStatus.COMPLETED,
                e.getStatus().isRunning(), causes, exit == null ? "" : exit);
    }

    private static boolean remote(JobExecution e) {
        return e.getJobInstance() != null && JOB.equals(e.getJobInstance().getJobName())
                && RunRequest.of(e.getJobParameters()).placement() instanceof Placement.Remote;
    }

    /**
     * A remote run's partitions failed in other processes: what the repository kept of each (the manager's copies of
     * them never saw their end).
     */
    private List<Throwable> remoteFailures(long executionId) {
        JobExecution stored = repository.getJobExecution(executionId);
        if (stored == null) {
            return List.of();
        }
        return stored.getStepExecutions().stream()
                .filter(s -> s.getStepName().startsWith(ISSUE_WORKER + ":") && s.getStatus() == BatchStatus.FAILED)
                .sorted(Comparator.comparing(StepExecution::getStepName))
                .<Throwable>map(s -> new PartitionFailedException(s.getStepName(), s.getExitStatus().getExitCode(),
                        s.getStepName().substring(ISSUE_WORKER.length() + 1) + ": "
                                + PartitionFailedException.firstLine(s.getExitStatus().getExitDescription())))
                .toList();
    }

    /**
     * The execution's failures with the partitions' own first: a failed partition also fails the step that manages
     * it, with only "Partition handler returned an unsuccessful step", and that sentence alone told a user nothing.
     */
    private static List<Throwable> causesFirst(JobExecution e) {
        List<Throwable> partitions = new ArrayList<>();
        List<Throwable> others = new ArrayList<>();
        for (StepExecution step : e.getStepExecutions()) {
            (step.getStepName().startsWith(ISSUE_WORKER + ":") ? partitions : others).addAll(step.getFailureExceptions());
        }
        others.addAll(e.getFailureExceptions());
        partitions.addAll(others);
        return partitions;
    }

    /** Every execution that wrote into this output folder, newest first. */
    /**
     * The settings of the output's newest run (by execution id), without the counts {@link #executions} adds: those
     * read the output's ledger rows, which {@code register --plan} on a million devices could not afford.
     */
    public Optional<RunRequest> newestRun(java.nio.file.Path out) {
        String wanted = out.toAbsolutePath().normalize().toString();
        JobExecution newest = null;
        for (JobInstance instance : repository.findJobInstances(JOB)) {
            for (JobExecution execution : repository.getJobExecutions(instance)) {
                if (wanted.equals(execution.getJobParameters().getString(OUT))
                        && (newest == null || execution.getId() > newest.getId())) {
                    newest = execution;
                }
            }
        }
        return Optional.ofNullable(newest).map(e -> RunRequest.of(e.getJobParameters()));
    }

    public List<ExecutionSummary> executions(java.nio.file.Path out) {
        String wanted = out.toAbsolutePath().normalize().toString();
        List<ExecutionSummary> result = new ArrayList<>();
        for (JobInstance instance : repository.findJobInstances(JOB)) {
            List<JobExecution> executions = repository.getJobExecutions(instance);
            for (JobExecution execution : executions) {
                if (!wanted.equals(execution.getJobParameters().getString(OUT))) {
                    continue;
                }
                result.add(summarise(instance, execution, executions));
            }
        }
        result.sort(Comparator.comparingLong(ExecutionSummary::executionId).reversed());
        return result;
    }

    private ExecutionSummary summarise(JobInstance instance, JobExecution execution, List<JobExecution> siblings) {
        long read = 0;
        long written = 0;
        long filtered = 0;
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStepName().startsWith(ISSUE_WORKER)) {
                read += step.getReadCount();
                written += step.getWriteCount();
                filtered += step.getFilterCount();
            }
        }
        long newest = siblings.stream().mapToLong(JobExecution::getId).max().orElse(execution.getId());
        BatchStatus status = execution.getStatus();
        boolean restartable = execution.getId() == newest && status != BatchStatus.COMPLETED
                && status != BatchStatus.ABANDONED;
        String exit = execution.getExitStatus() == null ? "" : execution.getExitStatus().getExitDescription();
        return new ExecutionSummary(execution.getId(), instance.getInstanceId(), status.name(), status.isRunning(),
                execution.getStartTime(), Optional.ofNullable(execution.getEndTime()), lastUpdate(execution),
                execution.getExitStatus() != null && DIED.equals(execution.getExitStatus().getExitCode()), read,
                ledger.identities().countIssuedBy(instance.getInstanceId()),
                ledger.rejections().countRejected(instance.getInstanceId()), Math.max(0, read - written - filtered), restartable,
                exit == null ? "" : exit, RunRequest.of(execution.getJobParameters()));
    }

    /**
     * Writes {@code report.html} of an execution into the output (default: the output's newest execution, run or
     * register) and returns it; empty when the output has no execution, or not the one asked for. {@code keyline
     * report}.
     */
    public Optional<Path> writeReport(Path out, OptionalLong executionId) {
        RunReports reports = new RunReports(repository, ledger);
        if (executionId.isPresent() && !reports.belongsTo(executionId.getAsLong(), out)) {
            return Optional.empty();
        }
        OptionalLong chosen = executionId.isPresent() ? executionId : reports.newestExecution(out);
        return chosen.isPresent() ? Optional.of(reports.write(chosen.getAsLong())) : Optional.empty();
    }

    /** Writes rejects.csv (and the output manifest) from what is committed, e.g. after a run failed. */
    public void exportCommitted(java.nio.file.Path out, String outputId, long jobInstanceId) {
        OutputExporter exporter = new OutputExporter(ledger, out);
        exporter.exportIssued(outputId);
        exporter.exportRejected(jobInstanceId);
    }

    /**
     * For the commands that write the ledger (run, restart, register): on {@link #close()}, an embedded H2 ledger that
     * is mostly dead pages is rewritten to its live size ({@link LedgerCompaction}). Not for {@code keyline status},
     * which only reads. PostgreSQL needs nothing of the kind.
     */
    public void compactLedgerOnClose() {
        compactOnClose = database.isEmbedded();
    }

    /**
     * What to do when the ledger failed to write its file and this command has not ended within the grace period
     * ({@link LedgerWatchdog}): the CLI reports the failed run and ends the process. Until set, it is only logged.
     */
    public void whenLedgerStuck(java.util.function.Consumer<Throwable> action) {
        watchdog.ifPresent(w -> w.whenStuck(action));
    }

    @Override
    public void close() {
        try {
            if (compactOnClose && compactionFits()) {
                LedgerCompaction.compactIfWorthIt(context.getBean(DataSource.class));
            }
        } finally {
            try {
                context.close();
            } finally {
                watchdog.ifPresent(LedgerWatchdog::close);
            }
        }
    }

    /**
     * Whether compacting the ledger can do no harm: H2 writes the compacted copy beside the file before it replaces it,
     * so the disk must hold a second copy (the live data, at most the file's size) and still keep the room that
     * {@link DiskSpaceGuard} keeps; and after the ledger failed to write, H2 has closed its store and must not be asked
     * for more. Otherwise the ledger stays as large as it is, intact, and the next writing command compacts it.
     */
    private boolean compactionFits() {
        if (watchdog.flatMap(LedgerWatchdog::timer).isPresent()) {
            return false;
        }
        Optional<Path> file = database.localFile();
        if (file.isEmpty()) {
            return true;
        }
        try {
            long size = java.nio.file.Files.size(file.get());
            long usable = java.nio.file.Files.getFileStore(file.get()).getUsableSpace();
            if (usable >= size + DiskSpaceGuard.CLOSING_BYTES) {
                return true;
            }
            LoggerFactory.getLogger(Provisioning.class).warn("the ledger is not compacted: {} needs room for a copy of "
                    + "its {} bytes, and its disk has {} bytes free", file.get(), size, usable);
            return false;
        } catch (IOException e) {
            return true; // no file yet, or a disk that cannot tell: compact as before
        }
    }
}
