package dev.keyline.aws;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter ("Exponential Backoff and Jitter", AWS Architecture Blog): the delay before
 * retry n is uniform in [floor, min(cap, base * 2^(n-1))]. Full jitter keeps many throttled threads from retrying
 * in lock step; the floor keeps a retry from ever following its failure at once.
 * <p>
 * Thread-safe when its random generator is (the default is {@link ThreadLocalRandom}; tests pass a seeded
 * {@link java.util.Random}).
 */
public final class ExponentialJitterBackoff implements Backoff {

    private final Duration base;
    private final Duration cap;
    private final Duration floor;
    private final RandomGenerator random;

    public ExponentialJitterBackoff(Duration base, Duration cap, Duration floor, RandomGenerator random) {
        this.base = positive(base, "base");
        this.cap = positive(cap, "cap");
        this.floor = positive(floor, "floor");
        this.random = Objects.requireNonNull(random, "random");
        if (cap.compareTo(base) < 0 || floor.compareTo(base) > 0) {
            throw new IllegalArgumentException("need floor <= base <= cap, got floor " + floor + ", base " + base + ", cap " + cap);
        }
    }

    /** Base 100 ms, cap 20 s, floor 10 ms: the SDK's standard retry timings, with a floor. */
    public static ExponentialJitterBackoff standard() {
        return new ExponentialJitterBackoff(Duration.ofMillis(100), Duration.ofSeconds(20), Duration.ofMillis(10),
                () -> ThreadLocalRandom.current().nextLong());
    }

    @Override
    public Duration delayBeforeRetry(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1, got " + retry);
        }
        long ceiling = ceilingNanos(retry);
        long low = floor.toNanos();
        long delay = ceiling <= low ? low : low + random.nextLong(ceiling - low + 1);
        return Duration.ofNanos(delay);
    }

    /** min(cap, base * 2^(retry-1)), without overflowing for large retry counts. */
    long ceilingNanos(int retry) {
        long capNanos = cap.toNanos();
        long value = base.toNanos();
        for (int i = 1; i < retry && value < capNanos; i++) {
            value *= 2;
        }
        return Math.min(value, capNanos);
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, not " + d);
        }
        return d;
    }

    @Override
    public String toString() {
        return "ExponentialJitterBackoff[base " + base + ", cap " + cap + ", floor " + floor + "]";
    }
}
