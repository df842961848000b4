package dev.keyline.job;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code keyline register} execution of an output, as {@code keyline status} lists it.
 *
 * @param registered   (device, target) pairs it registered; {@code failed} those it recorded FAILED that no later
 *                     execution has retried
 */
public record RegistrationExecution(long executionId, String status, boolean running,
                                    LocalDateTime started, Optional<LocalDateTime> ended, Optional<LocalDateTime> lastUpdated,
                                    List<String> targets, long registered, long failed) {

    public RegistrationExecution {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(ended, "ended");
        Objects.requireNonNull(lastUpdated, "lastUpdated");
        targets = List.copyOf(targets);
    }

    /** Whether its process died (killed, power lost): it still reads STARTED but no process holds the output. */
    public boolean died(boolean live) {
        return running && !live;
    }

    /** As {@link ExecutionSummary#duration}: a dead one's runs to its last update. */
    public Optional<Duration> duration(boolean live) {
        Optional<LocalDateTime> end = running && !live ? lastUpdated : running ? Optional.empty() : ended;
        return started == null ? Optional.empty() : end.map(e -> Duration.between(started, e));
    }
}
