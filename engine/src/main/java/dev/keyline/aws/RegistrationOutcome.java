package dev.keyline.aws;

import java.util.Objects;
import java.util.Optional;

/** What registering one device with one target came to; the job records it per (device, target). */
public sealed interface RegistrationOutcome {

    /** The certificate is registered (now or before: AWS's ResourceAlreadyExists for the same id counts). */
    record Registered(String certificateArn, String certificateId, Optional<String> thingArn) implements RegistrationOutcome {
        public Registered {
            Objects.requireNonNull(certificateArn, "certificateArn");
            Objects.requireNonNull(certificateId, "certificateId");
            Objects.requireNonNull(thingArn, "thingArn");
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
