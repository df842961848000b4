package dev.keyline.aws.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * AWS IoT's bulk registration task (StartThingRegistrationTask and the calls around it), as the emulator runs it:
 * <ul>
 * <li>one task in progress per account and region; a second Start is refused with InvalidRequestException (AWS's
 * exact answer is not documented: an assumption);</li>
 * <li>the task reads its input file from the emulator's S3 when it starts, stays InProgress for the configured
 * duration (percentage by elapsed time), then registers every line as RegisterThing would
 * ({@link TemplateRegistration});</li>
 * <li>its RESULTS and ERRORS reports are S3 objects in the input bucket, several per type, their lines shuffled (AWS
 * does not keep input order), linked by presigned-style URLs; a line names its input line by {@code lineNumber},
 * counted from 1, and {@code offset}, the byte offset after the line (what a public ERRORS report shows);</li>
 * <li>injectable failures: per input line (a function of the line's parameters answering an error message), or of a
 * whole task (it ends Failed with a message and writes no reports).</li>
 * </ul>
 * RESULTS lines are {@code {"errorMessage":null,"lineNumber":n,"offset":o,"response":{"certificatePem":...,
 * "resourceArns":{...}}}}: AWS's RESULTS format is UNCONFIRMED, this is the emulator's guess. Thread-safe.
 */
final class RegistrationTasks {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int LINES_PER_REPORT = 2_000;

    /** A task as Describe shows it, and when it ran (for assertions about one task per account). */
    static final class Task {
        final String id = UUID.randomUUID().toString();
        final EmulatorAccount account;
        final String templateBody;
        final String bucket;
        final String key;
        final String roleArn;
        final Instant created = Instant.now();
        final long startNanos = System.nanoTime();
        volatile long endNanos;
        final Duration duration;
        volatile String status = "InProgress";
        volatile String message;
        volatile int successes;
        volatile int failures;
        volatile int lines;
        final List<String> results = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();

        Task(EmulatorAccount account, String templateBody, String bucket, String key, String roleArn, Duration duration) {
            this.account = account;
            this.templateBody = templateBody;
            this.bucket = bucket;
            this.key = key;
            this.roleArn = roleArn;
            this.duration = duration;
        }

        int percent() {
            if (!"InProgress".equals(status)) {
                return 100;
            }
            long elapsed = System.nanoTime() - startNanos;
            return (int) Math.min(99, elapsed * 100 / Math.max(1, duration.toNanos()));
        }
    }

    private final S3Store s3;
    private final Function<String, String> linkBase;
    private final Random random;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private final List<Task> order = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService runner = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "iot-emulator-registration-task");
        t.setDaemon(true);
        return t;
    });
    private volatile Duration duration;
    private volatile Function<JsonNode, Optional<String>> lineFailure = line -> Optional.empty();
    private volatile String nextTaskFailure;

    /** @param linkBase bucket/key to the URL a report link gives */
    RegistrationTasks(S3Store s3, Function<String, String> linkBase, Duration duration, long seed) {
        this.s3 = s3;
        this.linkBase = linkBase;
        this.duration = duration;
        this.random = new Random(seed);
    }

    void duration(Duration duration) {
        this.duration = duration;
    }

    void lineFailure(Function<JsonNode, Optional<String>> failure) {
        this.lineFailure = failure;
    }

    void failNextTask(String message) {
        this.nextTaskFailure = message;
    }

    synchronized String start(EmulatorAccount account, String templateBody, String bucket, String key, String roleArn) {
        if (templateBody == null || templateBody.isEmpty() || bucket == null || key == null || roleArn == null) {
            throw IotError.invalidRequest("templateBody, inputFileBucket, inputFileKey and roleArn are required");
        }
        String[] role = roleArn.split(":");
        if (role.length < 6 || !role[5].startsWith("role/") || !role[4].equals(account.accountId)) {
            throw IotError.invalidRequest("roleArn " + roleArn + " is not a role of account " + account.accountId);
        }
        for (Task t : order) {
            if (t.account == account && "InProgress".equals(t.status)) {
                throw IotError.invalidRequest("A thing registration task is already in progress in this account: " + t.id);
            }
        }
        Task task = new Task(account, templateBody, bucket, key, roleArn, duration);
        tasks.put(task.id, task);
        order.add(task);
        String failure = nextTaskFailure;
        nextTaskFailure = null;
        runner.schedule(() -> finish(task, failure), task.duration.toMillis(), TimeUnit.MILLISECONDS);
        return task.id;
    }

    Task describe(EmulatorAccount account, String taskId) {
        Task task = tasks.get(taskId);
        if (task == null || task.account != account) {
            throw IotError.notFound("Thing registration task " + taskId + " not found");
        }
        return task;
    }

    /** Newest first, as a list page would be. */
    List<String> list(EmulatorAccount account, Optional<String> status) {
        List<String> ids = new ArrayList<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            Task t = order.get(i);
            if (t.account == account && status.map(s -> s.equals(t.status)).orElse(true)) {
                ids.add(t.id);
            }
        }
        return ids;
    }

    List<String> reportLinks(EmulatorAccount account, String taskId, String reportType) {
        Task task = describe(account, taskId);
        return switch (reportType == null ? "" : reportType) {
            case "RESULTS" -> List.copyOf(task.results);
            case "ERRORS" -> List.copyOf(task.errors);
            default -> throw IotError.invalidRequest("reportType must be RESULTS or ERRORS");
        };
    }

    /** Every task ever started, in start order. */
    List<Task> all() {
        return List.copyOf(order);
    }

    private void finish(Task task, String failure) {
        try {
            if (failure != null) {
                task.message = failure;
                task.status = "Failed";
                return;
            }
            Optional<byte[]> input = s3.find(task.bucket, task.key);
            if (input.isEmpty()) {
                task.message = "Input file s3://" + task.bucket + "/" + task.key + " not found";
                task.status = "Failed";
                return;
            }
            List<String> results = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            byte[] bytes = input.get();
            int start = 0;
            int lineNumber = 0;
            for (int i = 0; i <= bytes.length; i++) {
                if (i == bytes.length || bytes[i] == '\n') {
                    if (i > start) {
                        lineNumber++;
                        String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                        long offset = Math.min(i + 1, bytes.length);
                        process(task, line, lineNumber, offset, results, errors);
                    }
                    start = i + 1;
                }
            }
            task.lines = lineNumber;
            task.successes = results.size();
            task.failures = errors.size();
            task.results.addAll(write(task, "RESULTS", results));
            task.errors.addAll(write(task, "ERRORS", errors));
            task.status = "Completed";
        } catch (RuntimeException e) {
            task.message = "emulator bug: " + e;
            task.status = "Failed";
        } finally {
            task.endNanos = System.nanoTime();
        }
    }

    private void process(Task task, String line, int lineNumber, long offset, List<String> results, List<String> errors) {
        Map<String, Object> report = new LinkedHashMap<>();
        JsonNode parameters;
        try {
            parameters = JSON.readTree(line);
        } catch (JacksonException e) {
            report.put("errorMessage", "com.amazonaws.services.iot.model.InvalidRequestException: line is not JSON");
            report.put("lineNumber", lineNumber);
            report.put("offset", offset);
            report.put("response", null);
            errors.add(JSON.writeValueAsString(report));
            return;
        }
        Optional<String> injected = lineFailure.apply(parameters);
        Object response = null;
        String error = null;
        if (injected.isPresent()) {
            error = awsStyle("ResourceRegistrationFailureException", 400, injected.get());
        } else {
            Map<String, String> values = new HashMap<>();
            parameters.properties().forEach(p -> values.put(p.getKey(), p.getValue().asString()));
            try {
                response = TemplateRegistration.register(task.account, task.templateBody, values);
            } catch (IotError e) {
                error = awsStyle(e.type, e.status, e.getMessage());
            }
        }
        report.put("errorMessage", error);
        report.put("lineNumber", lineNumber);
        report.put("offset", offset);
        report.put("response", response);
        (error == null ? results : errors).add(JSON.writeValueAsString(report));
    }

    /** As the real ERRORS report words it: the Java SDK's exception text inside the task. */
    private static String awsStyle(String type, int status, String message) {
        return "com.amazonaws.services.iot.model." + type + ": " + message + " (Service: AWSIot; Status Code: " + status
                + "; Error Code: " + type + "; Request ID: " + UUID.randomUUID() + "; Proxy: null)";
    }

    private List<String> write(Task task, String type, List<String> lines) {
        List<String> shuffled = new ArrayList<>(lines);
        synchronized (random) {
            Collections.shuffle(shuffled, random);
        }
        List<String> links = new ArrayList<>();
        for (int from = 0, part = 0; from < shuffled.size(); from += LINES_PER_REPORT, part++) {
            String key = "ThingRegistrationTask/" + task.id + "/" + type + "-" + part;
            String body = String.join("\n", shuffled.subList(from, Math.min(shuffled.size(), from + LINES_PER_REPORT))) + "\n";
            s3.put(task.bucket, key, body.getBytes(StandardCharsets.UTF_8));
            links.add(linkBase.apply(task.bucket + "/" + key));
        }
        return links;
    }

    void close() {
        runner.shutdownNow();
    }
}
