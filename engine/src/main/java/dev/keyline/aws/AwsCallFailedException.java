package dev.keyline.aws;

/** A call AWS refused, or that kept failing through every retry; carries the last error. */
final class AwsCallFailedException extends Exception {

    private final IotOperation operation;
    private final AwsError error;
    private final int attempts;

    AwsCallFailedException(IotOperation operation, AwsError error, int attempts, Throwable cause) {
        super(operation.awsName() + " failed after " + attempts + " attempt(s): " + error.code() + ": " + error.message(), cause);
        this.operation = operation;
        this.error = error;
        this.attempts = attempts;
    }

    IotOperation operation() {
        return operation;
    }

    AwsError error() {
        return error;
    }

    int attempts() {
        return attempts;
    }

    /** The SDK exception AWS answered with. */
    Throwable sdkException() {
        return getCause();
    }
}
