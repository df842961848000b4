package dev.keyline.job;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import dev.keyline.aws.BulkSettings;
import dev.keyline.aws.DeviceIdentity;
import dev.keyline.aws.RegistrationOutcome;
import dev.keyline.aws.RegistrationReportLine;
import dev.keyline.aws.RegistrationTarget;
import dev.keyline.aws.RegistrationTaskClient;
import dev.keyline.aws.RegistrationTaskException;
import dev.keyline.aws.RegistrationTaskInput;
import dev.keyline.aws.RegistrationTaskState;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.RegistrationCandidate;
import dev.keyline.ledger.RegistrationRecord;
import dev.keyline.ledger.RegistrationStatus;
import dev.keyline.ledger.RegistrationTask;
import dev.keyline.ledger.RegistrationTasks;

/**
 * Registers one {@code bulk-task} target's pending devices through AWS IoT's bulk registration task, exactly once
 * across kills:
 * <ol>
 * <li>A task the ledger holds unfinished is finished first: a STARTED one is polled (never started again); a PREPARED
 * one (killed between recording it and recording AWS's task id) is looked for by its input file, and adopted, or,
 * when no task has that file, forgotten so its devices go in a new task.</li>
 * <li>Then the devices still pending, in device id order after the last one this register run sent, in tasks of at
 * most {@code bulk.max-lines}: the input file is written, the task and the device of each line are recorded
 * (committed), the file is uploaded, and the task is started once no other task runs in the account (AWS runs one at
 * a time); its id is recorded (committed) before the first poll.</li>
 * <li>When a task ends, every line of its RESULTS and ERRORS reports is mapped to its device by the line number it
 * names, never by its position, and each device is recorded REGISTERED (with the ARNs) or FAILED (AWS's message),
 * together with the task's end, in one transaction. A task that failed or was cancelled leaves its devices FAILED
 * with AWS's reason (those its RESULTS report names, if it has one, REGISTERED), so the next
 * {@code keyline register} sends them again.</li>
 * </ol>
 * Ledger writes commit in their own transactions: a task outlives any chunk, and what it needs to resume must be
 * durable before the call it protects. Not thread-safe; the tasks of one process run one after the other.
 */
final class BulkRegistration {

    private static final Logger log = LoggerFactory.getLogger(BulkRegistration.class);
    private static final int PAGE = 500;
    static final String TASK_FAILED = "RegistrationTaskFailed";
    static final String NOT_IN_REPORT = "NotInTaskReport";
    private static final int START_ATTEMPTS = 5;

    private final Ledger ledger;
    private final RegistrationTasks tasks;
    private final TransactionTemplate tx;
    private final RunIdentity run;
    private final RegistrationProgress progress;
    private final Path workDir;
    private final Clock clock;
    private final Sleeper sleeper;

    BulkRegistration(Ledger ledger, RegistrationTasks tasks, TransactionTemplate requiresNew, RunIdentity run,
                     RegistrationProgress progress, Path workDir, Clock clock, Sleeper sleeper) {
        this.ledger = ledger;
        this.tasks = tasks;
        this.tx = requiresNew;
        this.run = run;
        this.progress = progress;
        this.workDir = workDir;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Registers the target's pending devices; returns when its last task ended and was recorded. */
    void register(RegistrationTaskClient client) throws InterruptedException, IOException {
        RegistrationTarget target = client.target();
        BulkSettings bulk = target.bulk().orElseThrow();
        for (RegistrationTask unfinished : tasks.unfinished(run.outputId(), target.name())) {
            log.info("target {}: resuming bulk registration task {} ({})", target.name(), unfinished.batch(),
                    unfinished.taskId().orElse("not known to have started"));
            resume(client, unfinished);
        }
        Optional<String> cursor = tasks.lastDeviceSent(run.outputId(), target.name(), run.jobInstanceId());
        RegistrationTaskInput input = new RegistrationTaskInput(target);
        Pending pending = new Pending(target.name(), cursor.orElse(null));
        while (true) {
            int batch = tasks.nextBatch(run.outputId(), target.name());
            Path file = workDir.resolve("bulk-" + target.name() + "-" + batch + ".jsonl");
            List<String> devices = pending.write(input, file, bulk.maxLines());
            if (devices.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            String key = bulk.inputKey(run.outputId(), target.name(), batch, UUID.randomUUID().toString().substring(0, 8));
            RegistrationTask task = new RegistrationTask(run.outputId(), target.name(), batch, run.jobInstanceId(),
                    bulk.roleAccount(), bulk.bucket(), key, devices.size(), devices.get(devices.size() - 1), Optional.empty(),
                    RegistrationTask.State.PREPARED, Optional.empty(), Optional.empty());
            tx.executeWithoutResult(s -> tasks.prepare(task, devices, clock.instant()));
            progress.addTotal(devices.size());
            follow(client, task.batch(), start(client, task, file));
        }
    }

    private void resume(RegistrationTaskClient client, RegistrationTask task) throws InterruptedException {
        Optional<String> taskId = task.taskId();
        if (taskId.isEmpty()) {
            taskId = client.taskWithInput(task.inputKey());
            if (taskId.isEmpty()) {
                log.info("target {}: task {} was prepared but never started; its devices go in a new task", task.target(), task.batch());
                tx.executeWithoutResult(s -> tasks.forget(task.outputId(), task.target(), task.batch()));
                return;
            }
            String found = taskId.get();
            tx.executeWithoutResult(s -> tasks.started(task.outputId(), task.target(), task.batch(), found, clock.instant()));
        }
        progress.addTotal(task.lineCount());
        follow(client, task.batch(), taskId.get());
    }

    /** Uploads the file and starts the task once the account runs no other; records and returns AWS's task id. */
    private String start(RegistrationTaskClient client, RegistrationTask task, Path file) throws InterruptedException {
        BulkSettings bulk = client.target().bulk().orElseThrow();
        try {
            client.upload(task.inputKey(), file);
            String taskId = startOnce(client, task, bulk);
            tx.executeWithoutResult(s -> tasks.started(task.outputId(), task.target(), task.batch(), taskId, clock.instant()));
            log.info("target {}: started bulk registration task {} ({} devices, s3://{}/{})", task.target(), taskId,
                    task.lineCount(), task.inputBucket(), task.inputKey());
            return taskId;
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("could not delete {}: {}", file, e.getMessage());
            }
        }
    }

    /**
     * StartThingRegistrationTask without a second task: after a failed attempt (a lost reply, a throttle, a 5xx), the
     * account's tasks are searched for this input file first, and a task found is this one.
     */
    private String startOnce(RegistrationTaskClient client, RegistrationTask task, BulkSettings bulk) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Optional<String> running;
            while ((running = client.runningTask()).isPresent()) {
                progress.bulkTask("target " + task.target() + ": waiting for task " + running.get()
                        + " to end (AWS runs one registration task per account at a time)");
                sleeper.sleep(bulk.pollInterval());
            }
            try {
                return client.start(task.inputKey());
            } catch (RegistrationTaskException e) {
                Optional<String> started = client.taskWithInput(task.inputKey());
                if (started.isPresent()) {
                    log.info("target {}: StartThingRegistrationTask failed ({}) but task {} has the input file: it is this task",
                            task.target(), e.getMessage(), started.get());
                    return started.get();
                }
                if (attempt >= START_ATTEMPTS) {
                    throw e;
                }
                log.warn("target {}: StartThingRegistrationTask failed, attempt {} of {}: {}", task.target(), attempt,
                        START_ATTEMPTS, e.getMessage());
                sleeper.sleep(bulk.pollInterval().multipliedBy(attempt));
            }
        }
    }

    /** Polls the task until it ends, then records its devices' outcomes and its end in one transaction. */
    private void follow(RegistrationTaskClient client, int batch, String taskId) throws InterruptedException {
        RegistrationTarget target = client.target();
        long started = System.nanoTime();
        RegistrationTaskState state;
        while (true) {
            state = client.describe(taskId);
            String line = "target " + target.name() + ", task " + batch + " (" + taskId + "): " + state.progress();
            if (!line.equals(progress.bulkTask())) {
                log.info(line);
            }
            progress.bulkTask(line);
            if (state.ended()) {
                break;
            }
            sleeper.sleep(target.bulk().orElseThrow().pollInterval());
        }
        Map<Integer, RegistrationTasks.Line> lines = tasks.lines(run.outputId(), target.name(), batch);
        Map<Integer, RegistrationOutcome> outcomes = new HashMap<>();
        long[] strays = {0};
        try {
            client.forEachReportLine(taskId, true, l -> outcome(l, lines, outcomes, strays));
            client.forEachReportLine(taskId, false, l -> outcome(l, lines, outcomes, strays));
        } catch (RuntimeException e) {
            if (state.completed()) {
                throw e; // a completed task's reports must be read: the step fails, and the next run reads them again
            }
            log.warn("target {}: the reports of task {}, which ended {}, could not be read: {}", target.name(), taskId,
                    state.status(), e.getMessage());
        }
        if (strays[0] > 0) {
            log.warn("target {}: {} report lines of task {} name no input line of it; ignored", target.name(), strays[0], taskId);
        }
        List<RegistrationRecord> records = new ArrayList<>(lines.size());
        for (Map.Entry<Integer, RegistrationTasks.Line> e : lines.entrySet()) {
            RegistrationOutcome outcome = outcomes.get(e.getKey());
            if (outcome == null) {
                outcome = state.completed()
                        ? new RegistrationOutcome.Failed(NOT_IN_REPORT, "bulk registration task " + taskId + " completed but neither its "
                                + "RESULTS nor its ERRORS report names input line " + e.getKey() + "; run keyline register again", true)
                        : new RegistrationOutcome.Failed(TASK_FAILED, state.reason() + "; run keyline register again", true);
            }
            records.add(record(e.getValue().deviceId(), target.name(), outcome));
        }
        RegistrationTaskState ended = state;
        tx.executeWithoutResult(s -> {
            ledger.registrations().recordRegistrations(records);
            tasks.ended(run.outputId(), target.name(), batch, ended.status(), ended.message(), clock.instant());
        });
        long seconds = Math.max(1, Duration.ofNanos(System.nanoTime() - started).toSeconds());
        log.info("target {}: task {} ended {}: {} registered, {} failed; {} lines in about {} s as Keyline saw it ({} lines/s;"
                        + " set bulk.lines-per-second to this for register --plan)", target.name(), taskId, state.status(),
                records.stream().filter(r -> r.status() == RegistrationStatus.REGISTERED).count(),
                records.stream().filter(r -> r.status() == RegistrationStatus.FAILED).count(), lines.size(), seconds,
                lines.size() / seconds);
    }

    private static void outcome(RegistrationReportLine line, Map<Integer, RegistrationTasks.Line> lines,
                                Map<Integer, RegistrationOutcome> outcomes, long[] strays) {
        if (line.lineNumber().isEmpty() || line.lineNumber().getAsLong() > Integer.MAX_VALUE
                || !lines.containsKey((int) line.lineNumber().getAsLong())) {
            strays[0]++;
            return;
        }
        int number = (int) line.lineNumber().getAsLong();
        RegistrationOutcome outcome = line.outcomeFor(lines.get(number).certificateId());
        // A line in both reports (never seen) counts as failed: nothing is recorded as registered on doubt.
        outcomes.merge(number, outcome, (a, b) -> a instanceof RegistrationOutcome.Failed ? a : b);
    }

    private RegistrationRecord record(String deviceId, String target, RegistrationOutcome outcome) {
        if (outcome instanceof RegistrationOutcome.Registered r) {
            progress.countRegistered();
            return new RegistrationRecord(run.outputId(), deviceId, target, RegistrationStatus.REGISTERED,
                    Optional.of(r.certificateArn()), r.thingArn(), Optional.empty(), Optional.empty(), run.jobExecutionId(),
                    clock.instant());
        }
        RegistrationOutcome.Failed f = (RegistrationOutcome.Failed) outcome;
        progress.countFailed();
        return new RegistrationRecord(run.outputId(), deviceId, target, RegistrationStatus.FAILED, Optional.empty(),
                Optional.empty(), Optional.of(f.errorCode()), Optional.of(f.message()), run.jobExecutionId(), clock.instant());
    }

    /** The target's devices still to register, in device id order, handed out once each. */
    private final class Pending {
        private final String target;
        private String after;
        private boolean exhausted;

        Pending(String target, String after) {
            this.target = target;
            this.after = after;
        }

        /**
         * Writes the input lines of up to {@code max} devices to {@code file}; returns their ids, line 1 first. A
         * device whose ledger row cannot become an identity is recorded FAILED here and sent nowhere.
         */
        List<String> write(RegistrationTaskInput input, Path file, int max) {
            List<String> ids = new ArrayList<>();
            List<RegistrationRecord> invalid = new ArrayList<>();
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                while (ids.size() < max && !exhausted) {
                    List<RegistrationCandidate> page = ledger.pendingRegistrations()
                            .registrationCandidates(run.outputId(), after, PAGE);
                    if (page.size() < PAGE) {
                        exhausted = true;
                    }
                    for (RegistrationCandidate device : page) {
                        if (ids.size() >= max) {
                            exhausted = false;
                            break;
                        }
                        after = device.deviceId();
                        List<String> accounts = device.input().accounts();
                        if (!(accounts.isEmpty() || accounts.contains(target)) || device.registeredWith().contains(target)) {
                            continue;
                        }
                        DeviceIdentity identity;
                        try {
                            identity = new DeviceIdentity(device.deviceId(), device.thingName(), device.input().thingType(),
                                    device.input().attributes(), device.input().certificateDer(), device.certificateId(),
                                    Optional.empty(), device.input().thingGroups());
                        } catch (IllegalArgumentException e) {
                            invalid.add(record(device.deviceId(), target, new RegistrationOutcome.Failed(
                                    RegisterItemProcessor.INVALID_DEVICE, e.getMessage(), false)));
                            continue;
                        }
                        out.write(input.line(identity));
                        out.write('\n');
                        ids.add(device.deviceId());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the bulk registration input file " + file, e);
            }
            if (!invalid.isEmpty()) {
                tx.executeWithoutResult(s -> ledger.registrations().recordRegistrations(invalid));
            }
            return ids;
        }
    }
}
