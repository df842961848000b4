package dev.keyline.ledger;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A latency distribution as calls per bucket, the form the ledger keeps it in ({@code registration_call}): bucket 0
 * holds calls under 1 ms, bucket {@code i} calls from {@code 2^((i-1)/4)} ms up to the next bound (four buckets per
 * doubling, so a percentile read back is within 19% of the true one), the last bucket everything from about 65 s.
 * Percentiles come back from counts, so distributions of several chunks or executions merge by adding. Recording is
 * thread-safe and lock-free.
 */
public final class LatencyBuckets {

    /** Bucket count: 1 ms to 2^16 ms (65 s) in quarter doublings, plus the one below 1 ms. */
    public static final int SIZE = 66;

    private final AtomicLongArray counts = new AtomicLongArray(SIZE);

    public void record(long nanos) {
        counts.incrementAndGet(bucketOf(nanos));
    }

    public long[] counts() {
        long[] copy = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            copy[i] = counts.get(i);
        }
        return copy;
    }

    static int bucketOf(long nanos) {
        double millis = nanos / 1e6;
        if (millis < 1) {
            return 0;
        }
        int i = 1 + (int) Math.floor(4 * Math.log(millis) / Math.log(2));
        return Math.min(i, SIZE - 1);
    }

    /** The upper bound of a bucket in milliseconds (its lower bound for the last, open bucket). */
    static double upperMillis(int bucket) {
        return bucket >= SIZE - 1 ? Math.pow(2, (SIZE - 2) / 4.0) : Math.pow(2, bucket / 4.0);
    }

    /**
     * The latency in milliseconds below which {@code fraction} of the calls fell, as the upper bound of the bucket
     * that holds it; NaN without calls.
     */
    public static double percentileMillis(long[] counts, double fraction) {
        long total = Arrays.stream(counts).sum();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(rank, 1)) {
                return upperMillis(i);
            }
        }
        return upperMillis(counts.length - 1);
    }

    public static long[] add(long[] a, long[] b) {
        long[] sum = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            sum[i] = (i < a.length ? a[i] : 0) + (i < b.length ? b[i] : 0);
        }
        return sum;
    }

    static String encode(long[] counts) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(counts[i]);
        }
        return b.toString();
    }

    static long[] decode(String text) {
        long[] counts = new long[SIZE];
        if (text == null || text.isEmpty()) {
            return counts;
        }
        String[] parts = text.split(",");
        for (int i = 0; i < Math.min(parts.length, SIZE); i++) {
            counts[i] = Long.parseLong(parts[i].strip());
        }
        return counts;
    }
}
