package dev.keyline.aws;

import java.util.Optional;

import dev.keyline.error.KeylineException;

/**
 * AWS IoT refused a CA registration call, or it kept failing through the SDK's retries. The message names the account,
 * region and operation, AWS's error code and message, and what to do; it never holds key material.
 */
public final class CaRegistrationException extends KeylineException {

    private static final long serialVersionUID = 1L;

    private final String errorCode;

    public CaRegistrationException(String message, String errorCode, Throwable cause) {
        super(Kind.FAILURE, message, cause);
        this.errorCode = errorCode;
    }

    /** AWS's error code (e.g. {@code RegistrationCodeValidationException}), when AWS answered. */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }
}
