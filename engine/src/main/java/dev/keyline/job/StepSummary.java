package dev.keyline.job;

import java.time.LocalDateTime;
import java.util.Optional;

/**
 * One step execution of a run's execution ({@code scan}, {@code issue}, each {@code issue-worker:partitionNNN},
 * {@code register}, {@code export}), for {@code keyline status --format json}.
 */
public record StepSummary(String name, String status, String exitCode, long read, long written, long filtered,
                          long commits, long rollbacks, Optional<LocalDateTime> started, Optional<LocalDateTime> ended) {
}
