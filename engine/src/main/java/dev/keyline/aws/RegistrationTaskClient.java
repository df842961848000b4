package dev.keyline.aws;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.DescribeThingRegistrationTaskResponse;
import software.amazon.awssdk.services.iot.model.ListThingRegistrationTaskReportsResponse;
import software.amazon.awssdk.services.iot.model.ListThingRegistrationTasksResponse;
import software.amazon.awssdk.services.iot.model.ReportType;
import software.amazon.awssdk.services.iot.model.Status;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The calls of AWS IoT's bulk registration task for one {@code bulk-task} target: the input file's upload to S3
 * (PutObject), StartThingRegistrationTask with the target's template and role, DescribeThingRegistrationTask,
 * ListThingRegistrationTasks (which task runs in the account, which task has an input file), and the RESULTS and
 * ERRORS reports: ListThingRegistrationTaskReports, then a plain GET of each resource link (a presigned S3 URL).
 * <p>
 * These are a handful of calls per task, not per device, so they go through the SDK's standard retries (throttling
 * and 5xx, jittered backoff) rather than the per-device rate limiter. Every failure becomes a
 * {@link RegistrationTaskException} naming the target, the call and AWS's error. Not thread-safe: one task at a time.
 */
public final class RegistrationTaskClient {

    private static final Duration LINK_TIMEOUT = Duration.ofMinutes(5);

    private final RegistrationTarget target;
    private final BulkSettings bulk;
    private final IotClient iot;
    private final IotClient startOnce;
    private final S3Client s3;
    private final HttpClient links;

    /**
     * @param iot       for every call but the start: with the SDK's retries
     * @param startOnce for StartThingRegistrationTask: without retries, since a start whose reply was lost may have
     *                  started a task, and a second start would start another (see {@link #start})
     */
    public RegistrationTaskClient(RegistrationTarget target, IotClient iot, IotClient startOnce, S3Client s3) {
        this.target = Objects.requireNonNull(target, "target");
        this.bulk = target.bulk().orElseThrow(() -> new IllegalArgumentException("target " + target.name() + " is not bulk-task"));
        this.iot = Objects.requireNonNull(iot, "iot");
        this.startOnce = Objects.requireNonNull(startOnce, "startOnce");
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.links = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Opens the clients of a target with {@link IotClients}, which owns and closes them. */
    public static RegistrationTaskClient open(RegistrationTarget target, IotClients clients) {
        return new RegistrationTaskClient(target, clients.adminClient(target), clients.client(target), clients.s3Client(target));
    }

    public RegistrationTarget target() {
        return target;
    }

    /** PutObject of the input file to {@code bulk.bucket}/{@code key}. */
    public void upload(String key, Path file) {
        call("S3 PutObject s3://" + bulk.bucket() + "/" + key, () -> s3.putObject(r -> r.bucket(bulk.bucket()).key(key)
                .contentType("application/x-ndjson"), RequestBody.fromFile(file)));
    }

    /**
     * StartThingRegistrationTask, one attempt (no SDK retry); the task's id. After a failure the caller asks
     * {@link #taskWithInput} whether the task started anyway before it tries again.
     */
    public String start(String key) {
        return call("StartThingRegistrationTask", () -> startOnce.startThingRegistrationTask(r -> r
                .templateBody(target.template().orElseThrow().body()).inputFileBucket(bulk.bucket()).inputFileKey(key)
                .roleArn(bulk.roleArn())).taskId());
    }

    public RegistrationTaskState describe(String taskId) {
        DescribeThingRegistrationTaskResponse d = call("DescribeThingRegistrationTask " + taskId,
                () -> iot.describeThingRegistrationTask(r -> r.taskId(taskId)));
        return new RegistrationTaskState(taskId, d.statusAsString() == null ? "Unknown" : d.statusAsString(),
                d.percentageProgress() == null ? 0 : d.percentageProgress(),
                d.successCount() == null ? 0 : d.successCount(), d.failureCount() == null ? 0 : d.failureCount(),
                Optional.ofNullable(d.message()).filter(m -> !m.isBlank()), String.valueOf(d.inputFileBucket()),
                String.valueOf(d.inputFileKey()));
    }

    /** A task in progress in the account (AWS runs one at a time), whoever started it. */
    public Optional<String> runningTask() {
        ListThingRegistrationTasksResponse page = call("ListThingRegistrationTasks",
                () -> iot.listThingRegistrationTasks(r -> r.status(Status.IN_PROGRESS).maxResults(10)));
        return page.taskIds().stream().findFirst();
    }

    /**
     * The task started from this input file, if one was: for a run killed between StartThingRegistrationTask and
     * recording its answer. The task in progress is looked at first (it is most likely the one), then every task
     * of the account, newest pages first as AWS lists them. A file key is unique to one prepared task, so a match
     * is that task.
     */
    public Optional<String> taskWithInput(String key) {
        Optional<String> running = runningTask();
        if (running.isPresent() && matches(running.get(), key)) {
            return running;
        }
        String token = null;
        do {
            String page = token;
            ListThingRegistrationTasksResponse response = call("ListThingRegistrationTasks",
                    () -> iot.listThingRegistrationTasks(r -> r.maxResults(100).nextToken(page)));
            for (String taskId : response.taskIds()) {
                if (matches(taskId, key)) {
                    return Optional.of(taskId);
                }
            }
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
        return Optional.empty();
    }

    private boolean matches(String taskId, String key) {
        RegistrationTaskState state = describe(taskId);
        return bulk.bucket().equals(state.inputBucket()) && key.equals(state.inputKey());
    }

    /**
     * Every line of the task's report of that kind, in whatever order AWS wrote them.
     *
     * @param results true for RESULTS, false for ERRORS
     */
    public void forEachReportLine(String taskId, boolean results, Consumer<RegistrationReportLine> consumer) {
        ReportType type = results ? ReportType.RESULTS : ReportType.ERRORS;
        String token = null;
        do {
            String page = token;
            ListThingRegistrationTaskReportsResponse response = call("ListThingRegistrationTaskReports " + taskId + " " + type,
                    () -> iot.listThingRegistrationTaskReports(r -> r.taskId(taskId).reportType(type).maxResults(250).nextToken(page)));
            for (String link : response.resourceLinks()) {
                read(link, type, consumer);
            }
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
    }

    private void read(String link, ReportType type, Consumer<RegistrationReportLine> consumer) {
        // The link is a presigned URL: its query string is a credential, so it is never printed whole.
        String shown = link.contains("?") ? link.substring(0, link.indexOf('?')) : link;
        HttpResponse<Stream<String>> response;
        try {
            response = links.send(HttpRequest.newBuilder(URI.create(link)).timeout(LINK_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
        } catch (IOException | IllegalArgumentException e) {
            throw new RegistrationTaskException("target " + target.name() + ": the " + type + " report at " + shown
                    + " could not be read: " + e.getMessage() + "; run keyline register again to read it again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistrationTaskException("target " + target.name() + ": interrupted while reading the " + type + " report", e);
        }
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                throw new RegistrationTaskException("target " + target.name() + ": the " + type + " report at " + shown
                        + " answered HTTP " + response.statusCode() + "; run keyline register again to read it again", null);
            }
            lines.filter(l -> !l.isBlank()).map(RegistrationReportLine::parse).forEach(consumer);
        }
    }

    private <T> T call(String what, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            AwsError error = AwsError.of(e);
            throw new RegistrationTaskException("target " + target.name() + ": " + what + " failed: " + error.code()
                    + ": " + error.message(), e);
        }
    }

    @Override
    public String toString() {
        return "RegistrationTaskClient[" + target.name() + "]";
    }
}
