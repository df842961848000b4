package dev.keyline.aws;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A bulk registration task as DescribeThingRegistrationTask reports it.
 *
 * @param status    AWS's status: InProgress, Completed, Failed, Cancelled, Cancelling
 * @param message   AWS's message about the task (why it failed), when it gives one
 * @param inputKey  the S3 key of the task's input file
 */
public record RegistrationTaskState(String taskId, String status, int percent, long successes, long failures,
                                    Optional<String> message, String inputBucket, String inputKey) {

    public RegistrationTaskState {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    /** Completed, Failed or Cancelled: nothing more will change. */
    public boolean ended() {
        return completed() || failedOrCancelled();
    }

    /** The task went through its input: each line is in the RESULTS or the ERRORS report. */
    public boolean completed() {
        return "COMPLETED".equals(status.toUpperCase(Locale.ROOT));
    }

    /** The task stopped before its end: its devices are FAILED with {@link #reason()}, and retried by the next run. */
    public boolean failedOrCancelled() {
        String s = status.toUpperCase(Locale.ROOT);
        return "FAILED".equals(s) || "CANCELLED".equals(s);
    }

    /** For the ledger of a task that did not complete. */
    public String reason() {
        return "bulk registration task " + taskId + " ended " + status + message.map(m -> ": " + m).orElse("");
    }

    /** {@code 45% (4,500 registered, 12 failed)}, for the progress line. */
    public String progress() {
        return String.format("%s %d%% (%,d registered, %,d failed)", status, percent, successes, failures);
    }
}
