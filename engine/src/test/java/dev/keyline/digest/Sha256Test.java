package dev.keyline.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.keyline.keys.CryptoProvider;

/** {@link Sha256}: ACCP's digest once a run has loaded ACCP, and the same bytes as the JDK's whichever it is. */
class Sha256Test {

    @Test
    void onceAccpIsTheRunsProviderDigestsComeFromItWithTheJdksBytes() throws Exception {
        // What a run with --crypto-provider auto or accp does first (IssuanceKits); ACCP loads on this machine's kind.
        assertThat(CryptoProvider.AUTO.resolved()).isEqualTo(CryptoProvider.ACCP);
        MessageDigest digest = Sha256.newDigest();
        assertThat(digest.getProvider().getName()).isEqualTo(CryptoProvider.ACCP.provider().orElseThrow().getName());

        MessageDigest jdk = MessageDigest.getInstance("SHA-256", "SUN");
        Random random = new Random(18);
        for (int size : new int[] {0, 1, 55, 56, 63, 64, 65, 511, 512, 4_096, 70_000}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            assertThat(digest.digest(data)).as("%d bytes", size).isEqualTo(jdk.digest(data));
        }
        // Fed in pieces, as the archive's stream is.
        byte[] data = new byte[10_000];
        random.nextBytes(data);
        for (int offset = 0; offset < data.length; offset += 777) {
            digest.update(data, offset, Math.min(777, data.length - offset));
        }
        assertThat(digest.digest()).isEqualTo(jdk.digest(data));
    }
}
