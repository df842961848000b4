package dev.keyline.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of {@code device_registration}: a device's registration with one target, as it last ended.
 *
 * @param errorCode AWS's error code (or Keyline's for a conflict it found); present exactly when FAILED
 */
public record RegistrationRecord(String outputId, String deviceId, String target, RegistrationStatus status,
                                 Optional<String> certificateArn, Optional<String> thingArn, Optional<String> errorCode,
                                 Optional<String> errorMessage, long jobExecutionId, Instant updatedAt) {

    public RegistrationRecord {
        Objects.requireNonNull(outputId, "outputId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(certificateArn, "certificateArn");
        Objects.requireNonNull(thingArn, "thingArn");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorMessage, "errorMessage");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (status == RegistrationStatus.REGISTERED && certificateArn.isEmpty()) {
            throw new IllegalArgumentException(deviceId + " @ " + target + ": REGISTERED needs the certificate ARN");
        }
        if (status == RegistrationStatus.FAILED && errorCode.isEmpty()) {
            throw new IllegalArgumentException(deviceId + " @ " + target + ": FAILED needs the error code");
        }
    }
}
