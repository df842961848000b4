package dev.keyline.job.remote;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What a long-running worker says about a shared part (the broker, the database) that stopped answering. The worker
 * keeps trying, as a daemon should (the part may be restarted under it), but an operator reading its output needs
 * three things, not a warning every two seconds per thread: when the outage began and why, that it still lasts (a
 * reminder at most every {@link #REMINDER}), and when it ended. Each method returns the line to say, if any; the caller
 * says it. Thread-safe: a worker's threads share one outage per part.
 */
final class Outage {

    static final Duration REMINDER = Duration.ofMinutes(1);

    private final String part;
    private final LongSupplier nanos;
    private long since;
    private long lastSaid;
    private long failures;

    /**
     * @param part  what is away, as it is named to the operator ("the broker at amqp://host:5672/")
     * @param nanos a monotonic clock
     */
    Outage(String part, LongSupplier nanos) {
        this.part = part;
        this.nanos = nanos;
    }

    /** An attempt failed: the first failure of an outage is said, then a reminder a minute while it lasts. */
    synchronized Optional<String> failed(String cause, Duration retryEvery) {
        long now = nanos.getAsLong();
        failures++;
        if (failures == 1) {
            since = now;
            lastSaid = now;
            return Optional.of(part + " does not answer (" + cause + "); trying again every " + seconds(retryEvery));
        }
        if (now - lastSaid >= REMINDER.toNanos()) {
            lastSaid = now;
            return Optional.of(part + " still does not answer after " + seconds(Duration.ofNanos(now - since)) + " ("
                    + failures + " attempts; last: " + cause + ")");
        }
        return Optional.empty();
    }

    /** An attempt succeeded: said only when it ends an outage. */
    synchronized Optional<String> answered() {
        if (failures == 0) {
            return Optional.empty();
        }
        String line = part + " answers again after " + seconds(Duration.ofNanos(nanos.getAsLong() - since));
        failures = 0;
        return Optional.of(line);
    }

    private static String seconds(Duration d) {
        long s = Math.max(0, Math.round(d.toMillis() / 1000.0));
        return s < 120 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }
}
