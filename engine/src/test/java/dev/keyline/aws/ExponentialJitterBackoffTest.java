package dev.keyline.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ExponentialJitterBackoffTest {

    private final ExponentialJitterBackoff backoff = new ExponentialJitterBackoff(
            Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMillis(10), new Random(42));

    @Test
    void ceilingDoublesPerRetryUpToTheCap() {
        assertThat(backoff.ceilingNanos(1)).isEqualTo(100_000_000L);
        assertThat(backoff.ceilingNanos(2)).isEqualTo(200_000_000L);
        assertThat(backoff.ceilingNanos(4)).isEqualTo(800_000_000L);
        assertThat(backoff.ceilingNanos(5)).isEqualTo(1_600_000_000L);
        assertThat(backoff.ceilingNanos(6)).isEqualTo(2_000_000_000L);
        assertThat(backoff.ceilingNanos(1_000)).isEqualTo(2_000_000_000L);
    }

    @Test
    void delaysAreSpreadOverTheWholeRangeAndNeverBelowTheFloor() {
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = backoff.delayBeforeRetry(3).toNanos();
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isGreaterThanOrEqualTo(10_000_000L).isLessThan(30_000_000L);
        assertThat(max).isLessThanOrEqualTo(400_000_000L).isGreaterThan(370_000_000L);
    }

    @Test
    void sameSeedGivesTheSameDelays() {
        ExponentialJitterBackoff a = new ExponentialJitterBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMillis(10), new Random(7));
        ExponentialJitterBackoff b = new ExponentialJitterBackoff(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMillis(10), new Random(7));
        for (int retry = 1; retry < 10; retry++) {
            assertThat(a.delayBeforeRetry(retry)).isEqualTo(b.delayBeforeRetry(retry));
        }
    }

    @Test
    void standardBackoffNeverReturnsZero() {
        ExponentialJitterBackoff standard = ExponentialJitterBackoff.standard();
        for (int i = 0; i < 10_000; i++) {
            assertThat(standard.delayBeforeRetry(1)).isGreaterThanOrEqualTo(Duration.ofMillis(10));
        }
    }

    @Test
    void refusesInconsistentSettings() {
        assertThatThrownBy(() -> new ExponentialJitterBackoff(Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(10), new Random()))
                .hasMessageContaining("floor <= base <= cap");
        assertThatThrownBy(() -> new ExponentialJitterBackoff(Duration.ZERO, Duration.ofMillis(50), Duration.ofMillis(10), new Random()))
                .hasMessageContaining("base must be positive");
        assertThatThrownBy(() -> backoff.delayBeforeRetry(0)).hasMessageContaining("from 1");
    }
}
