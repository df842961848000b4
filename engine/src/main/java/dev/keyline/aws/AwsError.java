package dev.keyline.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * An SDK exception reduced to what the retry loop and the ledger need: AWS's error code, its message, and whether
 * trying again may help. Throttling is recognised by error code as the SDK does (AWS IoT answers it with 400).
 */
record AwsError(String code, String message, boolean throttling, boolean transientFault) {

    static AwsError of(SdkException e) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null || service.awsErrorDetails().errorCode() == null
                    ? "HTTP " + service.statusCode() : service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails() == null || service.awsErrorDetails().errorMessage() == null
                    ? String.valueOf(service.getMessage()) : service.awsErrorDetails().errorMessage();
            boolean throttling = service.isThrottlingException();
            return new AwsError(code, message, throttling, !throttling && service.statusCode() >= 500);
        }
        if (e instanceof SdkClientException) {
            // No answer (connection refused or closed, timeout): the request may or may not have been carried out.
            // Every call the Registrar makes is safe to repeat, so this is retried like a 5xx.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new AwsError("ClientError", cause.getClass().getSimpleName() + ": " + e.getMessage(), false, true);
        }
        return new AwsError(e.getClass().getSimpleName(), String.valueOf(e.getMessage()), false, false);
    }

    boolean retryable() {
        return throttling || transientFault;
    }
}
