package dev.keyline.aws;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One {@link TokenBucket} per operation for one target, at the target's quotas. Every thread that registers with
 * the target must use the same instance (the {@link Registrar} for the target holds it). Thread-safe.
 * <p>
 * Two targets that are the same account and region share AWS's quotas; give them quotas that add up to the
 * account's, since each target gets its own buckets.
 */
public final class OperationLimits {

    private final Map<IotOperation, RateLimiter> limiters;

    private OperationLimits(Map<IotOperation, RateLimiter> limiters) {
        this.limiters = Collections.unmodifiableMap(limiters);
    }

    /** Buckets at the target's quotas, with a burst of one call, on the system clock. */
    public static OperationLimits of(RegistrationTarget target) {
        return of(target, MonotonicClock.SYSTEM);
    }

    public static OperationLimits of(RegistrationTarget target, MonotonicClock clock) {
        Objects.requireNonNull(target, "target");
        EnumMap<IotOperation, RateLimiter> limiters = new EnumMap<>(IotOperation.class);
        for (IotOperation operation : IotOperation.values()) {
            limiters.put(operation, new TokenBucket(target.quota(operation), 1, clock));
        }
        return new OperationLimits(limiters);
    }

    public RateLimiter limiter(IotOperation operation) {
        return limiters.get(operation);
    }

    Map<IotOperation, RateLimiter> asMap() {
        return limiters;
    }
}
