package dev.keyline.ledger;

/**
 * The AWS calls of one execution to one target and operation, as counted so far ({@code registration_call}).
 *
 * @param latencyBuckets calls per {@link LatencyBuckets} bucket
 */
public record CallCount(long jobExecutionId, String target, String operation, long calls, long throttles, long faults,
                        long[] latencyBuckets) {
}
