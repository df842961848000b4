package dev.keyline.ledger;

import java.util.Objects;
import java.util.Optional;

/**
 * One bulk registration task of a target, as the ledger keeps it (table {@code registration_task}).
 *
 * @param batch   1, 2, 3 ... per (output, target), in the order the tasks were prepared
 * @param account the account the task runs in: AWS runs one task per account at a time
 * @param taskId  AWS's id, once StartThingRegistrationTask answered
 */
public record RegistrationTask(String outputId, String target, int batch, long jobInstanceId, String account,
                               String inputBucket, String inputKey, int lineCount, String lastDeviceId,
                               Optional<String> taskId, State state, Optional<String> awsStatus, Optional<String> message) {

    /** Where a task is in its life, as far as Keyline knows. */
    public enum State {
        /** Its lines are recorded; the file may be uploaded and the task may have been started (a kill in between). */
        PREPARED,
        /** AWS's task id is recorded. */
        STARTED,
        /** It ended and its devices' outcomes are recorded. */
        ENDED
    }

    public RegistrationTask {
        Objects.requireNonNull(outputId, "outputId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(inputBucket, "inputBucket");
        Objects.requireNonNull(inputKey, "inputKey");
        Objects.requireNonNull(lastDeviceId, "lastDeviceId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(awsStatus, "awsStatus");
        Objects.requireNonNull(message, "message");
        if (state != State.PREPARED && taskId.isEmpty()) {
            throw new IllegalArgumentException("task " + batch + " of " + target + " is " + state + " without a task id");
        }
    }
}
