package dev.keyline.job;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters of the register step, in (device, target) pairs, read by the progress display. Thread-safe.
 * Registered and failed count outcomes as the processor gets them (the chunk commits shortly after).
 */
public final class RegistrationProgress {

    private final AtomicLong total = new AtomicLong(-1);
    private final AtomicLong registered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String bulkTask = "";

    void total(long pairs) {
        total.set(pairs);
    }

    /** The bulk task step adds the devices of each task it takes on. */
    void addTotal(long pairs) {
        total.updateAndGet(t -> Math.max(t, 0) + pairs);
    }

    /** What the bulk registration task being followed is doing, for the progress display. */
    void bulkTask(String line) {
        bulkTask = line;
    }

    /** The bulk registration task being followed: status, percent, successes and failures; "" when none. */
    public String bulkTask() {
        return bulkTask;
    }

    void countRegistered() {
        registered.incrementAndGet();
    }

    void countFailed() {
        failed.incrementAndGet();
    }

    /** Pairs pending when the step started, or -1 before it started. */
    public long total() {
        return total.get();
    }

    public long registered() {
        return registered.get();
    }

    public long failed() {
        return failed.get();
    }

    public long done() {
        return registered.get() + failed.get();
    }
}
