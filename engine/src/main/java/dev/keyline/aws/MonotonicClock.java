package dev.keyline.aws;

import java.util.concurrent.TimeUnit;

/**
 * Elapsed time and waiting, behind one seam so that the rate limiter and the retry loop are tested with a fake
 * clock instead of real sleeps. Implementations are thread-safe.
 */
public interface MonotonicClock {

    /** The system's monotonic clock and {@link Thread#sleep}. */
    MonotonicClock SYSTEM = new MonotonicClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            if (nanos > 0) {
                TimeUnit.NANOSECONDS.sleep(nanos);
            }
        }
    };

    /** Monotonic nanoseconds, comparable only with other readings of the same clock. */
    long nanoTime();

    /** Waits {@code nanos} (nothing when {@code nanos <= 0}). */
    void sleepNanos(long nanos) throws InterruptedException;
}
