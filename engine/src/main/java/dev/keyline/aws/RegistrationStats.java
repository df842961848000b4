package dev.keyline.aws;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters for progress display and the run report: attempts per operation, throttles and faults seen, retries.
 * Thread-safe (LongAdders); a snapshot is consistent per counter, not across counters.
 */
public final class RegistrationStats {

    private final Map<IotOperation, LongAdder> attempts = new EnumMap<>(IotOperation.class);
    private final LongAdder throttled = new LongAdder();
    private final LongAdder faults = new LongAdder();
    private final LongAdder retries = new LongAdder();

    public RegistrationStats() {
        for (IotOperation operation : IotOperation.values()) {
            attempts.put(operation, new LongAdder());
        }
    }

    void attempt(IotOperation operation) {
        attempts.get(operation).increment();
    }

    void throttled() {
        throttled.increment();
    }

    void fault() {
        faults.increment();
    }

    void retry() {
        retries.increment();
    }

    public Snapshot snapshot() {
        EnumMap<IotOperation, Long> calls = new EnumMap<>(IotOperation.class);
        attempts.forEach((operation, n) -> calls.put(operation, n.sum()));
        return new Snapshot(Map.copyOf(calls), throttled.sum(), faults.sum(), retries.sum());
    }

    /**
     * @param attempts calls sent per operation, retries included
     * @param throttled answers that were ThrottlingException
     * @param faults    5xx answers and lost connections
     * @param retries   attempts after the first
     */
    public record Snapshot(Map<IotOperation, Long> attempts, long throttled, long faults, long retries) {
    }
}
