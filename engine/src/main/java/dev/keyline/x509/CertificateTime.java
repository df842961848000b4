package dev.keyline.x509;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The ASN.1 {@code Time} of a certificate bound, encoded as Bouncy Castle's {@code Time(Date)} encodes it, which is
 * what RFC 5280 section 4.1.2.5 asks: UTCTime {@code YYMMDDHHMMSSZ} for the years 1950 to 2049, GeneralizedTime
 * {@code YYYYMMDDHHMMSSZ} for any other year; always UTC, whole seconds, no fraction. (Dates before 1583 would
 * differ: {@code SimpleDateFormat} switches to the Julian calendar there, this class does not. No clock Keyline
 * issues by is set that far back.)
 *
 * <p>Written digit by digit: Bouncy Castle formats each {@code Time} through a new {@code SimpleDateFormat}, which
 * cost 3-4% of a device's CPU in a profile. Stateless and thread-safe.
 */
final class CertificateTime {

    private CertificateTime() {
    }

    /**
     * The whole element: tag, length, digits. A fraction of a second is dropped, as {@code Time(Date)} drops it.
     *
     * @throws IllegalArgumentException for a year before 1 or after 9999, which no certificate time can hold
     */
    static byte[] encode(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 1 || year > 9999) {
            throw new IllegalArgumentException("a certificate time must fall in the years 1 to 9999, not " + instant);
        }
        boolean utc = year >= 1950 && year <= 2049;
        int digits = utc ? 12 : 14;
        byte[] out = new byte[2 + digits + 1];
        out[0] = (byte) (utc ? DerWriter.UTC_TIME : DerWriter.GENERALIZED_TIME);
        out[1] = (byte) (digits + 1);
        int i = 2;
        if (!utc) {
            i = twoDigits(out, i, year / 100);
        }
        i = twoDigits(out, i, year % 100);
        i = twoDigits(out, i, t.getMonthValue());
        i = twoDigits(out, i, t.getDayOfMonth());
        i = twoDigits(out, i, t.getHour());
        i = twoDigits(out, i, t.getMinute());
        i = twoDigits(out, i, t.getSecond());
        out[i] = 'Z';
        return out;
    }

    private static int twoDigits(byte[] out, int at, int value) {
        out[at] = (byte) ('0' + value / 10);
        out[at + 1] = (byte) ('0' + value % 10);
        return at + 2;
    }
}
