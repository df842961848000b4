package dev.keyline.aws.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** An AWS error answer: HTTP status, error type (x-amzn-ErrorType and {@code __type}), message, extra members. */
final class IotError extends RuntimeException {

    final int status;
    final String type;
    final Map<String, Object> members = new LinkedHashMap<>();

    IotError(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    IotError with(String member, Object value) {
        members.put(member, value);
        return this;
    }

    static IotError invalidRequest(String message) {
        return new IotError(400, "InvalidRequestException", message);
    }

    static IotError certificateValidation(String message) {
        return new IotError(400, "CertificateValidationException", message);
    }

    static IotError notFound(String message) {
        return new IotError(404, "ResourceNotFoundException", message);
    }

    static IotError alreadyExists(String message, String resourceId, String resourceArn) {
        return new IotError(409, "ResourceAlreadyExistsException", message).with("resourceId", resourceId).with("resourceArn", resourceArn);
    }

    static IotError throttling() {
        return new IotError(400, "ThrottlingException", "Rate exceeded");
    }

    static IotError internalFailure() {
        return new IotError(500, "InternalFailureException", "An unexpected error has occurred");
    }

    static IotError serviceUnavailable() {
        return new IotError(503, "ServiceUnavailableException", "Service is unavailable");
    }

    static IotError unauthorized(String message) {
        return new IotError(401, "UnauthorizedException", message);
    }
}
