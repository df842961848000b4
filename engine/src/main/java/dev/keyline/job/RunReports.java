package dev.keyline.job;

import static dev.keyline.job.JobParameterNames.*;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.EmptyResultDataAccessException;

import dev.keyline.ledger.CallCount;
import dev.keyline.ledger.ChunkCommit;
import dev.keyline.ledger.LatencyBuckets;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.RegistrationStatus;
import dev.keyline.ledger.TargetCount;
import dev.keyline.output.report.ReportPage;
import dev.keyline.output.report.RunReport;

/**
 * Builds the run report of an execution from what is stored (the JobRepository for the execution, its steps and
 * settings; the ledger for identities, rejections, chunk commits, registrations and AWS calls) and writes it into the
 * output. Used at the end of each execution ({@link ReportListener}) and by {@code keyline report}, which rebuilds it
 * for any execution, also of outputs made before the report existed (their chunks and calls were not recorded: the
 * chart and call tables are then empty, the counts are all there).
 */
public final class RunReports {

    /** Example rows shown per reason code. */
    static final int EXAMPLES = 5;

    private final JobRepository repository;
    private final Ledger ledger;

    public RunReports(JobRepository repository, Ledger ledger) {
        this.repository = repository;
        this.ledger = ledger;
    }

    /** Writes the report of an execution into its output folder; returns the file. */
    public Path write(long executionId) {
        JobExecution execution = repository.getJobExecution(executionId);
        if (execution == null) {
            throw new IllegalArgumentException("no execution " + executionId);
        }
        long started = System.nanoTime();
        RunReport report = build(execution);
        Path written = ReportPage.write(report, Path.of(report.outputFolder()));
        LoggerFactory.getLogger(RunReports.class).info("wrote the run report of execution {} in {} ms", executionId,
                (System.nanoTime() - started) / 1_000_000);
        return written;
    }

    /** The newest execution (run or register) that wrote into this output folder. */
    public OptionalLong newestExecution(Path out) {
        String wanted = out.toAbsolutePath().normalize().toString();
        long newest = -1;
        for (String job : List.of(JOB, REGISTER_JOB)) {
            for (JobInstance instance : repository.findJobInstances(job)) {
                for (JobExecution e : repository.getJobExecutions(instance)) {
                    if (wanted.equals(e.getJobParameters().getString(OUT)) && e.getId() > newest) {
                        newest = e.getId();
                    }
                }
            }
        }
        return newest < 0 ? OptionalLong.empty() : OptionalLong.of(newest);
    }

    /** Whether an execution exists and wrote into this output folder. */
    public boolean belongsTo(long executionId, Path out) {
        JobExecution e;
        try {
            e = repository.getJobExecution(executionId);
        } catch (EmptyResultDataAccessException missing) {
            return false; // the JDBC repository throws for an id it does not have
        }
        return e != null && out.toAbsolutePath().normalize().toString().equals(e.getJobParameters().getString(OUT));
    }

    RunReport build(JobExecution e) {
        boolean register = REGISTER_JOB.equals(e.getJobInstance().getJobName());
        long instance = e.getJobInstanceId();
        String out = e.getJobParameters().getString(OUT);
        String outputId = e.getJobParameters().getString(OUTPUT_ID);
        List<ChunkCommit> chunks = ledger.runRecords().chunkCommits(e.getId());
        long issuedHere = 0;
        long rejectedHere = 0;
        long registeredHere = 0;
        long registerFailedHere = 0;
        for (ChunkCommit c : chunks) {
            issuedHere += c.issued();
            rejectedHere += c.rejected();
            registeredHere += c.registered();
            registerFailedHere += c.failed();
        }
        List<RunReport.Fact> facts = new ArrayList<>();
        RunReport.Counts counts;
        boolean registers;
        String resume;
        if (register) {
            RegistrationRun run = RegistrationRun.of(e.getJobParameters());
            registers = true;
            resume = "keyline register --out " + out;
            facts.add(new RunReport.Fact("Targets", String.join(", ", run.registration().targets())));
            facts.add(new RunReport.Fact("Registering threads", Integer.toString(run.registration().threads())));
            run.ca().ifPresent(ca -> caFacts(facts, ca));
            facts.add(new RunReport.Fact("Output id", outputId));
            counts = new RunReport.Counts(ledger.identities().countIssued(outputId), 0, 0, 0, 0, registeredHere,
                    registerFailedHere);
        } else {
            RunRequest run = RunRequest.of(e.getJobParameters());
            registers = run.registration().registers();
            resume = "keyline restart --out " + out;
            facts.add(new RunReport.Fact("Manifest", run.manifest() + " (SHA-256 " + run.manifestSha256() + ")"));
            caFacts(facts, run.ca());
            facts.add(new RunReport.Fact("Profile", run.profile().map(Path::toString).orElse("built-in default")));
            List<Long> executions = repository.getJobExecutions(e.getJobInstance()).stream().map(JobExecution::getId).toList();
            Map<String, Long> algorithms = ledger.runRecords().keyAlgorithms(executions);
            facts.add(new RunReport.Fact("Key algorithm", algorithms.isEmpty()
                    ? run.key().map(k -> k.id() + " (unless a row's key column chose another)")
                            .orElse("the profile's default-key, or the rows' key column")
                    : String.join(", ", algorithms.entrySet().stream()
                            .map(a -> a.getKey() + " (" + String.format("%,d", a.getValue()) + ")").toList())));
            facts.add(new RunReport.Fact("Key source", run.keys().name().toLowerCase()
                    + run.keyPool().map(p -> ", key pool " + p).orElse("")));
            facts.add(new RunReport.Fact("Crypto provider", run.cryptoProvider().id()));
            facts.add(new RunReport.Fact("Threads (partitions)", Integer.toString(run.threads())));
            facts.add(new RunReport.Fact("Chunk size", Integer.toString(run.chunkSize())));
            facts.add(new RunReport.Fact("Bundle layout", run.bundleLayout().name().toLowerCase()
                    + (run.pkcs12() ? ", with PKCS#12" : "")));
            if (registers) {
                facts.add(new RunReport.Fact("Registration targets", String.join(", ", run.registration().targets())));
            }
            facts.add(new RunReport.Fact("Output id", outputId));
            counts = new RunReport.Counts(ledger.identities().countIssuedBy(instance),
                    ledger.rejections().countRejected(instance), failedRows(e), issuedHere, rejectedHere, registeredHere,
                    registerFailedHere);
        }
        boolean completed = e.getStatus() == BatchStatus.COMPLETED;
        Optional<RunReport.Failure> failure = completed || e.getStatus().isRunning() ? Optional.empty()
                : Optional.of(new RunReport.Failure(failureMessage(e), resume));
        String command = e.getExecutionContext().containsKey(ReportListener.COMMAND)
                ? e.getExecutionContext().getString(ReportListener.COMMAND) : null;
        return new RunReport(register ? "register" : "run", e.getId(), instance, e.getStatus().name(), completed,
                instant(e.getStartTime()), instant(e.getEndTime()), out, Optional.ofNullable(command), facts, counts, chunks,
                stepStarts(e),
                register ? List.of() : ledger.rejections().rejectGroups(instance, EXAMPLES),
                registers ? targets(outputId, e.getId()) : List.of(), failure);
    }

    private static Map<String, Instant> stepStarts(JobExecution e) {
        Map<String, Instant> starts = new LinkedHashMap<>();
        for (StepExecution step : e.getStepExecutions()) {
            instant(step.getStartTime()).ifPresent(t -> starts.put(step.getStepName(), t));
        }
        return starts;
    }

    private static void caFacts(List<RunReport.Fact> facts, Path ca) {
        Optional<OutputCa> read = OutputCa.read(ca);
        facts.add(new RunReport.Fact("CA", read.map(OutputCa::subject).orElse("(its certificate is no longer in " + ca + ")")
                + " (" + ca + ")"));
        read.ifPresent(c -> facts.add(new RunReport.Fact("CA certificate id", c.sha256())));
    }

    /** Rows this execution read whose chunk rolled back, as {@code keyline status} counts them. */
    private static long failedRows(JobExecution e) {
        long read = 0;
        long written = 0;
        long filtered = 0;
        for (StepExecution step : e.getStepExecutions()) {
            if (step.getStepName().startsWith(ISSUE_WORKER)) {
                read += step.getReadCount();
                written += step.getWriteCount();
                filtered += step.getFilterCount();
            }
        }
        return Math.max(0, read - written - filtered);
    }

    /**
     * The first line of the failure that says most: a failed partition's own, before the manager step's "Partition
     * handler returned an unsuccessful step", before the execution's.
     */
    private static String failureMessage(JobExecution e) {
        if (e.getExecutionContext().containsKey(ReportListener.FAILURE)) {
            return e.getExecutionContext().getString(ReportListener.FAILURE);
        }
        List<StepExecution> steps = new ArrayList<>(e.getStepExecutions());
        steps.sort(Comparator.comparing((StepExecution s) -> !s.getStepName().startsWith(ISSUE_WORKER + ":"))
                .thenComparing(StepExecution::getStepName));
        for (StepExecution s : steps) {
            String text = firstLine(s.getExitStatus() == null ? null : s.getExitStatus().getExitDescription());
            if (s.getStatus() != BatchStatus.COMPLETED && !text.isEmpty()) {
                return text;
            }
        }
        String text = firstLine(e.getExitStatus() == null ? null : e.getExitStatus().getExitDescription());
        return text.isEmpty() ? "the execution ended " + e.getStatus().name().toLowerCase() : text;
    }

    /**
     * A stored exit description is a stack trace (cut at 2,500 characters): the message of its innermost Keyline
     * exception, else of its innermost cause, else its first line; without the exception's class name. Spring Batch's
     * own wrappers ("Unable to process chunk") say nothing a person can act on.
     */
    private static String firstLine(String description) {
        if (description == null || description.isBlank()) {
            return "";
        }
        List<String> lines = description.strip().lines().toList();
        String chosen = lines.get(0);
        String keyline = null;
        for (String line : lines) {
            if (line.startsWith("Caused by: ")) {
                chosen = line.substring("Caused by: ".length());
                if (chosen.startsWith("dev.keyline.")) {
                    keyline = chosen;
                }
            }
        }
        return (keyline != null ? keyline : chosen).replaceFirst("^[\\w.$]+(Exception|Error)(: )?", "").strip();
    }

    /**
     * What a person should read of live failures: the first Keyline exception's message in the cause chain of a
     * partition's failure (those come first), else the innermost cause's.
     */
    static String describe(List<Throwable> failures) {
        for (Throwable failure : failures) {
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof dev.keyline.error.KeylineException) {
                    return t.getMessage();
                }
            }
        }
        if (failures.isEmpty()) {
            return "";
        }
        Throwable root = failures.get(0);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private List<RunReport.TargetReport> targets(String outputId, long executionId) {
        Map<String, List<TargetCount>> outcomes = new LinkedHashMap<>();
        for (TargetCount c : ledger.registrations().registrationCounts(outputId)) {
            outcomes.computeIfAbsent(c.target(), t -> new ArrayList<>()).add(c);
        }
        Map<String, List<CallCount>> calls = new LinkedHashMap<>();
        for (CallCount c : ledger.runRecords().calls(executionId)) {
            calls.computeIfAbsent(c.target(), t -> new ArrayList<>()).add(c);
            outcomes.computeIfAbsent(c.target(), t -> new ArrayList<>());
        }
        List<RunReport.TargetReport> result = new ArrayList<>();
        outcomes.forEach((target, rows) -> {
            long registered = 0;
            long failed = 0;
            List<RunReport.ErrorCount> errors = new ArrayList<>();
            for (TargetCount c : rows) {
                if (c.status() == RegistrationStatus.REGISTERED) {
                    registered += c.devices();
                } else if (c.status() == RegistrationStatus.FAILED) {
                    failed += c.devices();
                    errors.add(new RunReport.ErrorCount(c.errorCode() == null ? "(none)" : c.errorCode(), c.devices(),
                            c.exampleMessage()));
                }
            }
            errors.sort(Comparator.comparingLong(RunReport.ErrorCount::devices).reversed());
            List<RunReport.OperationCalls> ops = new ArrayList<>();
            for (CallCount c : calls.getOrDefault(target, List.of())) {
                long[] b = c.latencyBuckets();
                ops.add(new RunReport.OperationCalls(c.operation(), c.calls(), c.throttles(), c.faults(),
                        LatencyBuckets.percentileMillis(b, 0.50), LatencyBuckets.percentileMillis(b, 0.95),
                        LatencyBuckets.percentileMillis(b, 0.99)));
            }
            result.add(new RunReport.TargetReport(target, registered, failed, errors.subList(0, Math.min(10, errors.size())),
                    ops));
        });
        return result;
    }

    private static Optional<Instant> instant(LocalDateTime time) {
        return Optional.ofNullable(time).map(t -> t.atZone(ZoneId.systemDefault()).toInstant());
    }
}
