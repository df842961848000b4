package dev.keyline.job;

import java.util.concurrent.atomic.LongAdder;

/**
 * How long this process spent making device keys and signing certificates, and how many of each, for the metrics
 * ({@link RunMetrics}): two clock reads and two adds per device, against a key and a signature. Process-wide, as the
 * metrics a process pushes are: one output is run by one process at a time.
 */
public final class IssueTimings {

    /** Device key generation (or taking a key from the pool or the token). */
    public static final IssueTimings KEY_GENERATION = new IssueTimings();
    /** Building and signing a certificate with the CA key. */
    public static final IssueTimings SIGNING = new IssueTimings();

    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    private IssueTimings() {
    }

    void add(long elapsedNanos) {
        count.increment();
        nanos.add(elapsedNanos);
    }

    public long count() {
        return count.sum();
    }

    public double totalNanos() {
        return nanos.sum();
    }
}
