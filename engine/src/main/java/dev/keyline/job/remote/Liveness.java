package dev.keyline.job.remote;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Which workers are alive, as the manager sees it: a worker is alive while its heartbeat counter has moved within the
 * timeout, measured on the manager's own monotonic clock. No clock of another machine is trusted, so a skewed clock
 * cannot make a live worker look dead. A worker seen for the first time gets a full timeout. Not thread-safe: one
 * manager's poll loop owns it.
 */
final class Liveness {

    private final LongSupplier nanos;
    private final long timeoutNanos;
    private final Map<String, Seen> seen = new HashMap<>();

    Liveness(Duration timeout, LongSupplier nanos) {
        this.timeoutNanos = timeout.toNanos();
        this.nanos = nanos;
    }

    /** Takes in the workers' rows as read now; workers absent from them (stopped) are no longer alive. */
    void observe(Collection<WorkerRegistry.WorkerRow> running) {
        long now = nanos.getAsLong();
        Map<String, Seen> next = new HashMap<>();
        for (WorkerRegistry.WorkerRow row : running) {
            Seen before = seen.get(row.identity().id());
            next.put(row.identity().id(), before != null && before.beats == row.beats() ? before : new Seen(row.beats(), now));
        }
        seen.clear();
        seen.putAll(next);
    }

    boolean alive(String workerId) {
        Seen s = seen.get(workerId);
        return s != null && nanos.getAsLong() - s.since < timeoutNanos;
    }

    /** How long the worker's counter has not moved; 0 if unknown. */
    Duration silentFor(String workerId) {
        Seen s = seen.get(workerId);
        return s == null ? Duration.ZERO : Duration.ofNanos(nanos.getAsLong() - s.since);
    }

    private record Seen(long beats, long since) {
    }
}
