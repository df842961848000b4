package dev.keyline.aws;

import dev.keyline.error.KeylineException;

/**
 * A bulk registration task could not be prepared, started, followed or read: AWS or S3 refused a call, or kept
 * failing through the SDK's retries. The message names the target, the call and AWS's error, never a secret. The
 * ledger keeps what was done, so running {@code keyline register} again goes on from there.
 */
public final class RegistrationTaskException extends KeylineException {

    private static final long serialVersionUID = 1L;

    public RegistrationTaskException(String message, Throwable cause) {
        super(Kind.TRANSIENT, message, cause);
    }
}
