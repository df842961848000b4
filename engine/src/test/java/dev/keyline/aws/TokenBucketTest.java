package dev.keyline.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final FakeClock clock = new FakeClock();

    @Test
    void firstCallGoesAtOnceAndTheNextWaitsOneInterval() {
        TokenBucket bucket = new TokenBucket(10, 1, clock);

        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isEqualTo(100_000_000L);
    }

    @Test
    void queuedCallersAreSpacedOneIntervalApart() {
        TokenBucket bucket = new TokenBucket(4, 1, clock);

        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waits.add(bucket.reserve());
        }

        assertThat(waits).containsExactly(0L, 250_000_000L, 500_000_000L, 750_000_000L, 1_000_000_000L);
    }

    @Test
    void sustainedRateNeverExceedsTheQuotaPlusTheBurst() throws Exception {
        TokenBucket bucket = new TokenBucket(10, 1, clock);
        long start = clock.nanoTime();

        for (int i = 0; i < 101; i++) {
            bucket.acquire(); // the fake clock advances by each wait
        }

        // 101 calls at 10/s with a burst of 1: the last starts exactly 10 s after the first.
        assertThat(clock.nanoTime() - start).isEqualTo(10_000_000_000L);
    }

    @Test
    void idleTimeRefillsOnlyUpToTheCapacity() {
        TokenBucket bucket = new TokenBucket(10, 3, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.reserve()).isZero();
        }
        assertThat(bucket.reserve()).isPositive();

        clock.advanceMillis(60_000); // a minute idle earns 600 tokens, of which the bucket keeps 3

        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isZero();
        assertThat(bucket.reserve()).isEqualTo(100_000_000L);
    }

    @Test
    void concurrentReservationsHandOutDistinctSlots() throws Exception {
        TokenBucket bucket = new TokenBucket(100, 1, clock); // time stands still: only reservations move
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < 250; i++) {
                        mine.add(bucket.reserve());
                    }
                    return mine;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get());
            }
            // 2,000 reservations at 100/s: each slot 10 ms apart, none given twice.
            assertThat(all).hasSize(2000).doesNotHaveDuplicates();
            assertThat(all.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(1999 * 10_000_000L);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesRatesAndCapacitiesThatAreNotPositive() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, clock)).hasMessageContaining("positive rate");
        assertThatThrownBy(() -> new TokenBucket(Double.NaN, 1, clock)).hasMessageContaining("positive rate");
        assertThatThrownBy(() -> new TokenBucket(10, 0.5, clock)).hasMessageContaining("at least 1");
    }
}
