package dev.keyline.aws;

import java.util.Objects;

/** What taking one device's registration with one target back came to; the job records it per (device, target). */
public sealed interface DeregistrationOutcome {

    /** What became of the thing the registration attached the certificate to. */
    enum Thing {
        /** the registration attached none */
        NONE,
        /** deleted (or already gone) */
        DELETED,
        /** detached and left: Keyline did not create it, or cannot tell (older ledger rows, template and bulk routes) */
        KEPT_NOT_KEYLINES,
        /** detached and left: another principal is still attached to it */
        KEPT_IN_USE
    }

    /**
     * The certificate is INACTIVE or REVOKED, detached from its policies and its thing, and (unless revoked) deleted.
     *
     * @param certificateDeleted false with {@code --revoke}: a revoked certificate stays registered, as REVOKED
     */
    record Deregistered(boolean certificateDeleted, Thing thing) implements DeregistrationOutcome {
        public Deregistered {
            Objects.requireNonNull(thing, "thing");
        }
    }

    /**
     * Not (completely) taken back: the steps done stay done, and running it again continues, each step being safe
     * to repeat.
     *
     * @param errorCode AWS's error code, or Keyline's ({@link #DETACH_NOT_VISIBLE}, {@link #CERTIFICATE_GONE})
     */
    record Failed(String errorCode, String message, boolean retryable) implements DeregistrationOutcome {
        /** The thing still listed the certificate after the bounded wait. */
        public static final String DETACH_NOT_VISIBLE = "DetachNotVisible";
        /** A certificate to revoke is not registered any more (deleted outside Keyline). */
        public static final String CERTIFICATE_GONE = "CertificateGone";

        public Failed {
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(message, "message");
        }
    }
}
