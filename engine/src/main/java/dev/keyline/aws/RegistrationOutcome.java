package dev.keyline.aws;

import java.util.Objects;
import java.util.Optional;

/** What registering one device with one target came to; the job records it per (device, target). */
public sealed interface RegistrationOutcome {

    /**
     * The certificate is registered (now or before: AWS's ResourceAlreadyExists for the same id counts).
     *
     * @param thingCreated whether this registration made the thing (it did not exist when the device was registered):
     *                     only such a thing is Keyline's to delete when the device is deregistered. False when the
     *                     thing existed, or when the route cannot tell (a template or a bulk task makes or reuses it)
     */
    record Registered(String certificateArn, String certificateId, Optional<String> thingArn, boolean thingCreated)
            implements RegistrationOutcome {
        public Registered {
            Objects.requireNonNull(certificateArn, "certificateArn");
            Objects.requireNonNull(certificateId, "certificateId");
            Objects.requireNonNull(thingArn, "thingArn");
            if (thingCreated && thingArn.isEmpty()) {
                throw new IllegalArgumentException("certificate " + certificateId + ": a created thing needs its ARN");
            }
        }

        /** Registered by a route that cannot tell whether it made the thing. */
        public Registered(String certificateArn, String certificateId, Optional<String> thingArn) {
            this(certificateArn, certificateId, thingArn, false);
        }
    }

    /**
     * Not registered, or registered only in part (the message then says what exists).
     *
     * @param errorCode AWS's error code ({@code CertificateValidationException}, ...) or Keyline's for conflicts
     *                  found before calling ({@link #THING_CONFLICT}, {@link #THING_BOUND_TO_OTHER_CERTIFICATE})
     * @param retryable true when running registration again may succeed without changing anything (throttling
     *                  or faults that outlasted the retries); false when something must be fixed first
     */
    record Failed(String errorCode, String message, boolean retryable) implements RegistrationOutcome {
        /** A thing of that name exists with another type or other attributes. */
        public static final String THING_CONFLICT = "ThingConflict";
        /** The thing already has another certificate attached. */
        public static final String THING_BOUND_TO_OTHER_CERTIFICATE = "ThingBoundToOtherCertificate";
        /** AWS answered in a way that contradicts the request (e.g. another certificate id). */
        public static final String UNEXPECTED_RESPONSE = "UnexpectedResponse";

        public Failed {
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(message, "message");
        }
    }
}
