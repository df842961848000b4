package dev.keyline.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.bouncycastle.crypto.digests.SHA1Digest;
import org.junit.jupiter.api.Test;

import dev.keyline.x509.SerialNumbers;

/**
 * Once a run has loaded ACCP, serial numbers draw from its generator and key identifiers hash with its SHA-1
 * (native, where the JDK's DRBG and Bouncy Castle's SHA-1 are Java), with the same key identifiers as before.
 */
class AccpPreferenceTest {

    @Test
    void serialsAndKeyIdentifiersComeFromAccpOnceItHasLoaded() throws Exception {
        // What a run with --crypto-provider auto or accp does first; ACCP loads on this machine's kind.
        assertThat(CryptoProvider.AUTO.resolved()).isEqualTo(CryptoProvider.ACCP);
        assertThat(CryptoProviders.loadedAccp()).isSameAs(CryptoProvider.ACCP.provider().orElseThrow());

        SecureRandom random = CryptoProviders.threadRandom();
        assertThat(random.getProvider()).isSameAs(CryptoProviders.loadedAccp());
        SerialNumbers serials = new SerialNumbers();
        Set<java.math.BigInteger> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            java.math.BigInteger serial = serials.next();
            assertThat(serial.signum()).isPositive();
            assertThat(serial.bitLength()).isLessThanOrEqualTo(159);
            assertThat(seen.add(serial)).isTrue();
        }

        Random bytes = new Random(5280);
        for (int size : new int[] {0, 1, 55, 64, 65, 97, 270, 1_000}) {
            byte[] key = new byte[size + 6];
            bytes.nextBytes(key);
            SHA1Digest bc = new SHA1Digest();
            bc.update(key, 3, size);
            byte[] expected = new byte[20];
            bc.doFinal(expected, 0);
            assertThat(KeyIdentifiers.subjectKeyIdentifier(key, 3, size)).as("%d bytes", size).isEqualTo(expected);
        }
    }
}
