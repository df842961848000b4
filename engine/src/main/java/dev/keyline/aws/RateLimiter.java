package dev.keyline.aws;

/**
 * Paces calls of one operation against one target. Callers block in {@link #acquire()} until they may call.
 * Implementations are thread-safe; a limiter is shared by every thread that calls the operation on the target.
 */
public interface RateLimiter {

    /**
     * Waits until one more call is allowed, and takes its permit.
     *
     * @throws InterruptedException when the waiting thread is interrupted (the permit is then spent: the rate
     *                              stays below the limit, which errs on the safe side)
     */
    void acquire() throws InterruptedException;

    /** The sustained rate this limiter allows, in calls per second. */
    double permitsPerSecond();
}
