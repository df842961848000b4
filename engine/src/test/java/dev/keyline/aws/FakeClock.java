package dev.keyline.aws;

import java.util.concurrent.atomic.AtomicLong;

/** A clock whose time moves only when someone sleeps: sleeping advances it by the sleep. Thread-safe. */
final class FakeClock implements MonotonicClock {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicLong slept = new AtomicLong();

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleepNanos(long nanos) {
        if (nanos > 0) {
            slept.addAndGet(nanos);
            now.addAndGet(nanos);
        }
    }

    void advanceMillis(long millis) {
        now.addAndGet(millis * 1_000_000L);
    }

    long sleptNanos() {
        return slept.get();
    }
}
