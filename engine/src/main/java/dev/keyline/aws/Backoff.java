package dev.keyline.aws;

import java.time.Duration;

/**
 * How long to wait before a retry. Separate from the {@link RateLimiter}: the limiter keeps every call within the
 * quota, the backoff spreads out retries after AWS said no. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Backoff {

    /**
     * @param retry 1 for the first retry (the second attempt), 2 for the next, ...
     * @return a positive delay: never zero, so a failing call can never spin
     */
    Duration delayBeforeRetry(int retry);
}
