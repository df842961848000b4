package dev.keyline.aws;

import java.util.Objects;

/**
 * A token bucket: refills at {@code permitsPerSecond}, holds at most {@code capacity} tokens, and lets callers
 * queue by taking tokens on credit: a caller that finds the bucket empty reserves the next token and sleeps until
 * it is due, outside the lock. In any interval of length T at most {@code capacity + permitsPerSecond * T} calls
 * start, so with the default capacity of 1 no wall-clock second sees more than the quota plus one call.
 * AWS does not document how its quotas treat bursts, hence the small default burst.
 * <p>
 * Thread-safe: the reservation is one short synchronized section; waiting happens outside it.
 */
public final class TokenBucket implements RateLimiter {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double permitsPerSecond;
    private final double capacity;
    private final MonotonicClock clock;

    /** Tokens available now; negative while callers wait for reserved tokens. Guarded by {@code this}. */
    private double tokens;
    /** When {@link #tokens} was last brought up to date. Guarded by {@code this}. */
    private long updatedAt;

    public TokenBucket(double permitsPerSecond) {
        this(permitsPerSecond, 1, MonotonicClock.SYSTEM);
    }

    /**
     * @param capacity the largest burst, in calls (at least 1); the bucket starts full
     */
    public TokenBucket(double permitsPerSecond, double capacity, MonotonicClock clock) {
        if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
            throw new IllegalArgumentException("permitsPerSecond must be a positive rate, not " + permitsPerSecond);
        }
        if (!(capacity >= 1) || Double.isInfinite(capacity)) {
            throw new IllegalArgumentException("capacity must be at least 1 call, not " + capacity);
        }
        this.permitsPerSecond = permitsPerSecond;
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tokens = capacity;
        this.updatedAt = clock.nanoTime();
    }

    @Override
    public void acquire() throws InterruptedException {
        clock.sleepNanos(reserve());
    }

    /** Takes one token, on credit if need be; returns how long the caller must wait for it, in nanoseconds. */
    synchronized long reserve() {
        long now = clock.nanoTime();
        long elapsed = now - updatedAt;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * permitsPerSecond / NANOS_PER_SECOND);
            updatedAt = now;
        }
        tokens -= 1;
        if (tokens >= 0) {
            return 0;
        }
        return (long) Math.ceil(-tokens * NANOS_PER_SECOND / permitsPerSecond);
    }

    @Override
    public double permitsPerSecond() {
        return permitsPerSecond;
    }

    public double capacity() {
        return capacity;
    }

    @Override
    public String toString() {
        return "TokenBucket[" + permitsPerSecond + "/s, burst " + capacity + "]";
    }
}
