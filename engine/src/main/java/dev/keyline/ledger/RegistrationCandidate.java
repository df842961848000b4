package dev.keyline.ledger;

import java.util.Objects;
import java.util.Set;

/**
 * An issued identity that may still need registering, with the targets it is already REGISTERED with.
 *
 * @param registeredWith target names this device is settled with: REGISTERED, or deregistered, revoked or being so
 *                       (anything but FAILED); registration leaves them alone
 */
public record RegistrationCandidate(String deviceId, String thingName, String certificateId, RegistrationInput input,
                                    Set<String> registeredWith) {

    public RegistrationCandidate {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(thingName, "thingName");
        Objects.requireNonNull(certificateId, "certificateId");
        Objects.requireNonNull(input, "input");
        registeredWith = Set.copyOf(registeredWith);
    }
}
