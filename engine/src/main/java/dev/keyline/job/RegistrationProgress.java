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

    void total(long pairs) {
        total.set(pairs);
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
