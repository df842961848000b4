package dev.keyline.aws;

import java.util.Objects;

/**
 * How often one call is tried when AWS throttles it or fails for a passing reason (5xx, a lost connection), and how
 * long to wait in between. Every attempt also takes a permit from the operation's {@link RateLimiter}.
 *
 * @param maxAttempts attempts of one call, the first included (at least 1)
 */
public record RetryPolicy(int maxAttempts, Backoff backoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        Objects.requireNonNull(backoff, "backoff");
    }

    /** 8 attempts with {@link ExponentialJitterBackoff#standard()}: rides out about a minute of throttling. */
    public static RetryPolicy standard() {
        return new RetryPolicy(8, ExponentialJitterBackoff.standard());
    }
}
