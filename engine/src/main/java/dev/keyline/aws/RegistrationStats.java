package dev.keyline.aws;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.keyline.ledger.LatencyBuckets;

/**
 * Counters for progress display and the run report: attempts per operation, throttles and faults seen (in total and
 * per operation), retries, and each operation's latency (every attempt, answered or failed, from sending to the answer;
 * the rate limiter's wait is not in it). Thread-safe (LongAdders); a snapshot is consistent per counter, not across
 * counters.
 */
public final class RegistrationStats {

    private final Map<IotOperation, LongAdder> attempts = new EnumMap<>(IotOperation.class);
    private final Map<IotOperation, LongAdder> throttledBy = new EnumMap<>(IotOperation.class);
    private final Map<IotOperation, LongAdder> faultsBy = new EnumMap<>(IotOperation.class);
    private final Map<IotOperation, LatencyBuckets> latency = new EnumMap<>(IotOperation.class);
    private final Map<IotOperation, LongAdder> waits = new EnumMap<>(IotOperation.class);
    private final Map<IotOperation, LongAdder> waitNanos = new EnumMap<>(IotOperation.class);
    private final LongAdder throttled = new LongAdder();
    private final LongAdder faults = new LongAdder();
    private final LongAdder retries = new LongAdder();

    public RegistrationStats() {
        for (IotOperation operation : IotOperation.values()) {
            attempts.put(operation, new LongAdder());
            throttledBy.put(operation, new LongAdder());
            faultsBy.put(operation, new LongAdder());
            latency.put(operation, new LatencyBuckets());
            waits.put(operation, new LongAdder());
            waitNanos.put(operation, new LongAdder());
        }
    }

    /** A permit of the operation's rate limiter (token bucket) was taken after waiting this long. */
    void waited(IotOperation operation, long nanos) {
        waits.get(operation).increment();
        waitNanos.get(operation).add(nanos);
    }

    /** Permits taken from the operation's rate limiter (one per attempt). */
    public long limiterWaits(IotOperation operation) {
        return waits.get(operation).sum();
    }

    /** Time spent waiting for the operation's rate limiter, in nanoseconds. */
    public double limiterWaitNanos(IotOperation operation) {
        return waitNanos.get(operation).sum();
    }

    public long attempts(IotOperation operation) {
        return attempts.get(operation).sum();
    }

    public long throttles(IotOperation operation) {
        return throttledBy.get(operation).sum();
    }

    public long faults(IotOperation operation) {
        return faultsBy.get(operation).sum();
    }

    void attempt(IotOperation operation) {
        attempts.get(operation).increment();
    }

    void answered(IotOperation operation, long nanos) {
        latency.get(operation).record(nanos);
    }

    void throttled(IotOperation operation) {
        throttled.increment();
        throttledBy.get(operation).increment();
    }

    void fault(IotOperation operation) {
        faults.increment();
        faultsBy.get(operation).increment();
    }

    void retry() {
        retries.increment();
    }

    public Snapshot snapshot() {
        EnumMap<IotOperation, Long> calls = new EnumMap<>(IotOperation.class);
        attempts.forEach((operation, n) -> calls.put(operation, n.sum()));
        return new Snapshot(Map.copyOf(calls), throttled.sum(), faults.sum(), retries.sum());
    }

    /** Per operation that was called at least once: its calls, throttles, faults and latency. */
    public Map<IotOperation, OperationStats> byOperation() {
        Map<IotOperation, OperationStats> result = new EnumMap<>(IotOperation.class);
        for (IotOperation operation : IotOperation.values()) {
            long calls = attempts.get(operation).sum();
            if (calls > 0) {
                result.put(operation, new OperationStats(calls, throttledBy.get(operation).sum(),
                        faultsBy.get(operation).sum(), latency.get(operation).counts()));
            }
        }
        return result;
    }

    /**
     * @param attempts calls sent per operation, retries included
     * @param throttled answers that were ThrottlingException
     * @param faults    5xx answers and lost connections
     * @param retries   attempts after the first
     */
    public record Snapshot(Map<IotOperation, Long> attempts, long throttled, long faults, long retries) {
    }

    /** @param latencyBuckets attempts per {@link LatencyBuckets} bucket */
    public record OperationStats(long calls, long throttles, long faults, long[] latencyBuckets) {
    }
}
