package dev.keyline.aws;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A device as the ledger says it is registered with one target: what {@link Deregistrar} takes back.
 *
 * @param thingArn     the thing its registration attached the certificate to; empty when it made none
 * @param thingCreated whether that registration made the thing (only then is the thing Keyline's to delete)
 */
public record RegisteredDevice(String deviceId, String certificateArn, Optional<String> thingArn, boolean thingCreated) {

    private static final Pattern CERTIFICATE_ARN = Pattern.compile("arn:[\\w-]+:iot:[\\w-]+:\\d{12}:cert/[0-9a-f]{64}");
    private static final Pattern THING_ARN = Pattern.compile("arn:[\\w-]+:iot:[\\w-]+:\\d{12}:thing/[a-zA-Z0-9:_-]{1,128}");

    public RegisteredDevice {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(certificateArn, "certificateArn");
        Objects.requireNonNull(thingArn, "thingArn");
        // The ledger's ARNs came from AWS's answers: checked here before any of them becomes a path in a request.
        if (!CERTIFICATE_ARN.matcher(certificateArn).matches()) {
            throw new IllegalArgumentException("device " + deviceId + ": the ledger's certificate ARN is not one AWS IoT "
                    + "gives (arn:aws:iot:<region>:<account>:cert/<64 hex>)");
        }
        thingArn.ifPresent(arn -> {
            if (!THING_ARN.matcher(arn).matches()) {
                throw new IllegalArgumentException("device " + deviceId + ": the ledger's thing ARN is not one AWS IoT gives "
                        + "(arn:aws:iot:<region>:<account>:thing/<name>)");
            }
        });
        if (thingCreated && thingArn.isEmpty()) {
            throw new IllegalArgumentException("device " + deviceId + ": a thing Keyline created needs its ARN");
        }
    }

    public String certificateId() {
        return certificateArn.substring(certificateArn.lastIndexOf('/') + 1);
    }

    public Optional<String> thingName() {
        return thingArn.map(arn -> arn.substring(arn.indexOf(":thing/") + ":thing/".length()));
    }
}
