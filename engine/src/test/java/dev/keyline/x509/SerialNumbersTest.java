package dev.keyline.x509;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bouncycastle.asn1.ASN1Integer;
import org.junit.jupiter.api.Test;

class SerialNumbersTest {

    private final SerialNumbers serials = new SerialNumbers();

    @Test
    void theLedgersSerialHexIsBigIntegersHex() {
        java.time.Instant t = java.time.Instant.parse("2026-12-06T00:00:00Z");
        java.util.Random random = new java.util.Random(16);
        List<BigInteger> cases = new ArrayList<>(List.of(BigInteger.ONE, BigInteger.valueOf(15), BigInteger.valueOf(16),
                BigInteger.valueOf(255), BigInteger.valueOf(256), BigInteger.ONE.shiftLeft(159).subtract(BigInteger.ONE),
                BigInteger.ONE.shiftLeft(152), BigInteger.ONE.shiftLeft(7)));
        for (int i = 0; i < 2000; i++) {
            cases.add(serials.next());
            cases.add(new BigInteger(1 + random.nextInt(159), random).add(BigInteger.ONE));
        }
        for (BigInteger serial : cases) {
            IssuedCertificate certificate = new IssuedCertificate(new byte[0], serial, "id", t, t);
            assertThat(certificate.serialHex()).isEqualTo(serial.toString(16));
        }
    }

    @Test
    void serialsArePositiveAndFitTwentyOctetsOfDer() throws Exception {
        for (int i = 0; i < 1000; i++) {
            BigInteger s = serials.next();
            assertThat(s.signum()).isPositive();
            assertThat(s.bitLength()).isLessThanOrEqualTo(159);
            byte[] der = new ASN1Integer(s).getEncoded();
            assertThat(der.length - 2).as("content octets").isLessThanOrEqualTo(20);
        }
    }

    @Test
    void serialsCarryFarMoreThan128RandomBits() {
        int longest = 0;
        int[] ones = new int[159];
        int n = 2000;
        for (int i = 0; i < n; i++) {
            BigInteger s = serials.next();
            longest = Math.max(longest, s.bitLength());
            for (int b = 0; b < 159; b++) {
                ones[b] += s.testBit(b) ? 1 : 0;
            }
        }
        assertThat(longest).isEqualTo(159); // the top usable bit is set about half the time
        for (int b = 0; b < 159; b++) { // every one of the 159 bits varies, none is stuck
            assertThat(ones[b]).as("bit " + b).isBetween(n / 2 - 200, n / 2 + 200);
        }
    }

    @Test
    void tenThousandSerialsFromSeveralThreadsAreUnique() throws Exception {
        Set<BigInteger> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 2500; i++) {
                        seen.add(serials.next());
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seen).hasSize(10_000);
    }
}
