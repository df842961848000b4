package dev.keyline.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Date;
import java.util.Random;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link CertificateTime} writes what Bouncy Castle's {@code Time(Date)} writes, on both sides of each switch. */
class CertificateTimeTest {

    @ParameterizedTest
    @ValueSource(strings = {"1949-12-31T23:59:59Z", "1950-01-01T00:00:00Z", "1999-12-31T23:59:59Z",
            "2000-01-01T00:00:00Z", "2024-02-29T12:34:56Z", "2049-12-31T23:59:59Z", "2050-01-01T00:00:00Z",
            "2100-03-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-07-08T09:10:11.999Z"})
    void encodesAsBouncyCastlesTime(String instant) throws Exception {
        Instant t = Instant.parse(instant);
        assertThat(CertificateTime.encode(t)).as(instant).isEqualTo(bc(t));
    }

    @Test
    void utcTimeForTheYears1950To2049AndGeneralizedTimeOtherwise() {
        assertThat(CertificateTime.encode(Instant.parse("2049-12-31T23:59:59Z")))
                .startsWith(DerWriter.UTC_TIME, 13).endsWith("491231235959Z".getBytes());
        assertThat(CertificateTime.encode(Instant.parse("2050-01-01T00:00:00Z")))
                .startsWith(DerWriter.GENERALIZED_TIME, 15).endsWith("20500101000000Z".getBytes());
    }

    @Test
    void agreesWithBouncyCastleOnRandomSecondsFrom1900To2300() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        long from = Instant.parse("1900-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2300-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 2000; i++) {
            Instant t = Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)));
            assertThat(CertificateTime.encode(t)).as(t + " (seed " + seed + ")").isEqualTo(bc(t));
        }
    }

    @Test
    void refusesAYearNoCertificateTimeCanHold() {
        assertThatThrownBy(() -> CertificateTime.encode(Instant.parse("+10000-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9999");
    }

    private static byte[] bc(Instant t) throws Exception {
        return new Time(Date.from(t)).getEncoded(ASN1Encoding.DER);
    }
}
