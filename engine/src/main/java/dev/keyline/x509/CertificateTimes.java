package dev.keyline.x509;

import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x509.Time;

/**
 * The ASN.1 {@code Time} of a certificate bound, remembered for the second it stands for. Bouncy Castle formats a
 * {@code Time} through a new {@code SimpleDateFormat} each time, which cost 3-4% of a device's CPU in a profile of
 * a run, while every certificate a thread issues within one second has the same two bounds.
 *
 * <p>Not thread-safe: one per thread (the issuer keeps one per thread).
 */
final class CertificateTimes {

    private Instant notBeforeInstant;
    private Time notBefore;
    private Instant notAfterInstant;
    private Time notAfter;

    /** @param instant whole seconds */
    Time notBefore(Instant instant) {
        if (!instant.equals(notBeforeInstant)) {
            notBefore = new Time(Date.from(instant));
            notBeforeInstant = instant;
        }
        return notBefore;
    }

    /** @param instant whole seconds */
    Time notAfter(Instant instant) {
        if (!instant.equals(notAfterInstant)) {
            notAfter = new Time(Date.from(instant));
            notAfterInstant = instant;
        }
        return notAfter;
    }
}
