package dev.keyline.job;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * One job execution of an output, as {@code keyline status} shows it. A <em>run</em> is a job instance (one manifest
 * into one output); an <em>execution</em> is one attempt at it ({@code keyline run}, then each {@code keyline
 * restart}).
 *
 * @param instanceId  the run
 * @param running     its record says it runs (STARTING, STARTED, STOPPING): a live process, or one that died
 * @param ended       when it ended; for one that died, when its last chunk committed
 * @param lastUpdated the newest update of its steps (a chunk commit, a step's end), if any
 * @param recovered   it was found dead and recovered (marked failed) when its run was restarted
 * @param read        manifest rows read by this execution (rows of chunks that rolled back count too)
 * @param issued      identities this run (job instance) holds in the ledger
 * @param rejected    rows this run rejected
 * @param failed      rows read by this execution that ended neither issued nor rejected (their chunk rolled back)
 */
public record ExecutionSummary(long executionId, long instanceId, String status, boolean running,
                               LocalDateTime started, Optional<LocalDateTime> ended, Optional<LocalDateTime> lastUpdated,
                               boolean recovered, long read, long issued, long rejected, long failed,
                               boolean restartable, String exitDescription, RunRequest request) {

    /**
     * Whether its process died (killed, power lost) instead of ending it.
     *
     * @param live whether a process holds the output now (its lock)
     */
    public boolean died(boolean live) {
        return recovered || running && !live;
    }

    /** How long it ran: to its end, or, for one that died, to its last committed chunk; empty while it runs. */
    public Optional<Duration> duration(boolean live) {
        Optional<LocalDateTime> end = running && !live ? lastUpdated : running ? Optional.empty() : ended;
        return started == null ? Optional.empty() : end.map(e -> Duration.between(started, e));
    }
}
