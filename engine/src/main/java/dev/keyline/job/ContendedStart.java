package dev.keyline.job;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;

import dev.keyline.aws.Backoff;
import dev.keyline.aws.ExponentialJitterBackoff;

/**
 * Starts (or restarts) a job again when the job repository refused it only because another start touched the same
 * tables at the same moment.
 *
 * <p>Spring Batch creates job instances and executions in SERIALIZABLE transactions, so that no run is ever launched
 * twice. On PostgreSQL serializable isolation is optimistic: two managers starting different runs on one database
 * read and insert on the same index pages, and PostgreSQL cancels one of the two transactions with a serialization
 * failure (SQLSTATE 40001), whose hint says it "might succeed if retried". That is all such a failure means: the
 * canceled transaction left nothing behind, and the run it was creating may still be started. So the start is tried
 * again after a short random pause (random, so that the two do not collide once more), a few times.
 *
 * <p>A start is repeated only while no execution began: once the job ran (its execution recorded as started), a
 * failure is the run's own and is reported as such, with its restart. Any other failure is never retried.
 */
final class ContendedStart {

    private static final Logger log = LoggerFactory.getLogger(ContendedStart.class);

    /** Attempts in all; with the standard pauses the last begins within about 3 s of the first. */
    static final int ATTEMPTS = 6;

    private final Supplier<OptionalLong> startedExecution;
    private final Backoff backoff;
    private final Sleeper sleeper;

    /**
     * @param startedExecution the execution this process started last (empty before any): an attempt that changed it
     *                         began a run, and is not repeated
     */
    ContendedStart(Supplier<OptionalLong> startedExecution, Backoff backoff, Sleeper sleeper) {
        this.startedExecution = Objects.requireNonNull(startedExecution, "startedExecution");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** Pauses of 25 ms to 800 ms, growing, with full jitter. */
    static ContendedStart standard(Supplier<OptionalLong> startedExecution) {
        Backoff backoff = new ExponentialJitterBackoff(Duration.ofMillis(50), Duration.ofMillis(800),
                Duration.ofMillis(25), () -> ThreadLocalRandom.current().nextLong());
        return new ContendedStart(startedExecution, backoff, Sleeper.REAL);
    }

    /** A start of a job: what it returns when the job ended, or its failure. */
    @FunctionalInterface
    interface Start<T> {
        T run() throws Exception;
    }

    /**
     * @param what the start, for the log ("the start of the run")
     * @return what the first attempt that got through returned
     * @throws Exception the failure of the last attempt, or the first failure that is not a lost race
     */
    <T> T run(String what, Start<T> start) throws Exception {
        for (int attempt = 1; ; attempt++) {
            OptionalLong before = startedExecution.get();
            try {
                return start.run();
            } catch (Exception failure) {
                boolean began = !startedExecution.get().equals(before);
                if (began || attempt == ATTEMPTS || !isLostRace(failure)) {
                    throw failure;
                }
                Duration pause = backoff.delayBeforeRetry(attempt);
                log.warn("the job repository canceled {} because another start used the same tables at the same time "
                        + "({}); nothing of it was kept, trying again in {} ms (attempt {} of {})", what,
                        firstLine(failure), pause.toMillis(), attempt + 1, ATTEMPTS);
                sleeper.sleep(pause);
            }
        }
    }

    /**
     * A serialization failure or a deadlock, whichever layer reports it: Spring's translation of the statement's
     * error, or the driver's own exception when it came at the commit.
     */
    static boolean isLostRace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PessimisticLockingFailureException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().equals("40001") || sql.getSQLState().equals("40P01"))) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
