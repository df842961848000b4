package dev.keyline.aws;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import software.amazon.awssdk.core.exception.SdkException;

/**
 * Makes one AWS call: takes a permit from the operation's limiter before every attempt, and retries throttling,
 * 5xx and lost connections with the backoff of its {@link RetryPolicy}.
 * <p>
 * Retrying here, with the SDK's own retries switched off ({@link IotClients}), is deliberate: the SDK would
 * retry inside one call without asking the limiter, so a throttled burst would be repeated at full speed and the
 * per-operation rate would no longer be bounded; doing both would multiply attempts (8 x 3). Thread-safe.
 */
final class PacedCaller {

    private final Map<IotOperation, RateLimiter> limiters;
    private final RetryPolicy retryPolicy;
    private final MonotonicClock clock;
    private final RegistrationStats stats;

    PacedCaller(Map<IotOperation, RateLimiter> limiters, RetryPolicy retryPolicy, MonotonicClock clock, RegistrationStats stats) {
        this.limiters = new EnumMap<>(limiters);
        for (IotOperation operation : IotOperation.values()) {
            Objects.requireNonNull(this.limiters.get(operation), () -> "no rate limiter for " + operation.awsName());
        }
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /**
     * @throws AwsCallFailedException when AWS refuses the call, or it still fails after the last attempt
     */
    <T> T call(IotOperation operation, Supplier<T> request) throws AwsCallFailedException, InterruptedException {
        RateLimiter limiter = limiters.get(operation);
        for (int attempt = 1; ; attempt++) {
            long asked = clock.nanoTime();
            limiter.acquire();
            stats.waited(operation, clock.nanoTime() - asked);
            stats.attempt(operation);
            long sent = clock.nanoTime();
            try {
                T answer = request.get();
                stats.answered(operation, clock.nanoTime() - sent);
                return answer;
            } catch (SdkException e) {
                stats.answered(operation, clock.nanoTime() - sent);
                AwsError error = AwsError.of(e);
                if (error.throttling()) {
                    stats.throttled(operation);
                } else if (error.transientFault()) {
                    stats.fault(operation);
                }
                if (!error.retryable() || attempt >= retryPolicy.maxAttempts()) {
                    throw new AwsCallFailedException(operation, error, attempt, e);
                }
                stats.retry();
                clock.sleepNanos(retryPolicy.backoff().delayBeforeRetry(attempt).toNanos());
            }
        }
    }
}
