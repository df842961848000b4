package dev.keyline.job;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * One job execution of an output, as {@code keyline status} shows it.
 *
 * @param read     manifest rows read by this execution (rows of chunks that rolled back count too)
 * @param issued   identities this run (job instance) holds in the ledger
 * @param rejected rows this run rejected
 * @param failed   rows read by this execution that ended neither issued nor rejected (their chunk rolled back)
 */
public record ExecutionSummary(long executionId, long instanceId, String status, LocalDateTime started,
                               Optional<Duration> duration, long read, long issued, long rejected, long failed,
                               boolean restartable, String exitDescription, RunRequest request) {
}
