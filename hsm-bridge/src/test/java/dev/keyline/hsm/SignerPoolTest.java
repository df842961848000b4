package dev.keyline.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.hsm.testing.SoftHsm;

@Tag("full")
class SignerPoolTest {

    @TempDir
    static Path dir;
    static Pkcs11Token token;
    static TokenKey key;

    @BeforeAll
    static void open() throws IOException {
        SoftHsm.get();
        HsmConfig config = HsmConfig.load(SoftHsm.writeConfig(dir, "pool", "token-label: " + SoftHsm.TOKEN, SoftHsm.USER_PIN));
        token = Pkcs11Token.open(config, HsmPin.resolve(config, Map.of()));
        key = token.generate(new KeySpec(TokenKeyType.EC_P256, "pool-key", new byte[] {7}, false, true, false));
    }

    @AfterAll
    static void close() {
        token.close();
    }

    @Test
    void fourThreadsSharingTwoSessionsEachGetAValidSignatureOverTheirOwnData() throws Exception {
        SignerPool pool = new SignerPool(key, "SHA256withECDSA", 2, Duration.ofSeconds(30));
        int threads = 4;
        int perThread = 250;
        AtomicInteger inUse = new AtomicInteger();
        AtomicInteger mostInUse = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(executor.submit(() -> {
                    Signature verifier = Signature.getInstance("SHA256withECDSA", "SunEC");
                    int valid = 0;
                    for (int i = 0; i < perThread; i++) {
                        byte[] data = ByteBuffer.allocate(8).putInt(thread).putInt(i).array();
                        byte[] signature;
                        try (SignerPool.Lease lease = pool.borrow()) {
                            mostInUse.accumulateAndGet(inUse.incrementAndGet(), Math::max);
                            signature = lease.sign(data);
                            inUse.decrementAndGet();
                        }
                        verifier.initVerify(key.publicKey());
                        verifier.update(data);
                        valid += verifier.verify(signature) ? 1 : 0;
                    }
                    return valid;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(perThread);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(mostInUse.get()).as("never more leases out than the pool's size").isBetween(1, 2);
    }

    @Test
    void borrowingFromAnExhaustedPoolTimesOutWithAClearReason() throws Exception {
        SignerPool pool = new SignerPool(key, "SHA256withECDSA", 1, Duration.ofMillis(200));
        try (SignerPool.Lease held = pool.borrow()) {
            held.sign(new byte[] {1});
            long start = System.nanoTime();
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                Future<?> attempt = other.submit(() -> pool.sign(new byte[] {2}));
                assertThatThrownBy(attempt::get).hasCauseInstanceOf(SignerPoolExhaustedException.class)
                        .cause().hasMessageContaining("all 1 token sessions").hasMessageContaining("`sessions`");
            } finally {
                other.shutdownNow();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        }
        assertThat(pool.sign(new byte[] {3})).as("the lease given back is usable again").isNotEmpty();
    }
}
