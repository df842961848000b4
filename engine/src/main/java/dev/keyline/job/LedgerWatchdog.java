package dev.keyline.job;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slf4j.LoggerFactory;

/**
 * Ends the command when its H2 ledger failed to write its file (a disk filled by another process between two checks
 * of {@link DiskSpaceGuard}) and the command does not end by itself within a grace period.
 *
 * <p>Why: after a failed write H2 2.4.240 closes its store, and a transaction it then closes twice drives the use
 * count of the store's current version below zero; every thread that starts a statement afterwards spins for ever in
 * {@code MVStore.registerVersionUsage} (H2 fixed the double close after 2.4.240, in commit 09d9f627, not yet
 * released). The run would then neither commit nor end. Nothing can commit once the store is closed, so ending the
 * process loses nothing that a kill would not: the execution shows as DIED and {@code keyline restart} recovers it.
 *
 * <p>H2 reports the failure to {@link LedgerFailureListener}, an object it makes itself from the database URL, so the
 * watchdog of each open ledger is found by that URL.
 */
public final class LedgerWatchdog implements AutoCloseable {

    /**
     * How long the command may still take after the ledger failed. When H2 does not spin, the steps fail and the run
     * reports it within a second (the other threads' chunks end at their first statement); when it spins, nothing
     * will change. Ending earlier loses nothing either: no chunk can commit once the store is closed.
     */
    static final Duration GRACE = Duration.ofSeconds(10);

    private static final Map<String, LedgerWatchdog> BY_URL = new ConcurrentHashMap<>();

    private final String url;
    private final Duration grace;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicReference<Thread> timer = new AtomicReference<>();
    private volatile Consumer<Throwable> whenStuck;

    LedgerWatchdog(String url, Duration grace, Consumer<Throwable> whenStuck) {
        this.url = url;
        this.grace = grace;
        this.whenStuck = whenStuck;
    }

    /** Watches the ledger at this JDBC URL (its settings are ignored) until {@link #close()}. */
    static LedgerWatchdog watch(String jdbcUrl) {
        LedgerWatchdog watchdog = new LedgerWatchdog(withoutSettings(jdbcUrl), GRACE, LedgerWatchdog::logOnly);
        BY_URL.put(watchdog.url, watchdog);
        return watchdog;
    }

    /** The watchdog of the ledger at this URL, as H2 names it (without settings), if one watches it. */
    static Optional<LedgerWatchdog> of(String url) {
        return Optional.ofNullable(BY_URL.get(withoutSettings(url)));
    }

    private static String withoutSettings(String url) {
        return url.split(";", 2)[0];
    }

    /** What to do when the command is stuck; until set, it is only logged. */
    void whenStuck(Consumer<Throwable> action) {
        this.whenStuck = action;
    }

    /** The ledger failed to write: from now on the command has {@link #GRACE} to end. Only the first failure counts. */
    void ledgerFailed(Throwable failure) {
        if (ended.getCount() == 0 || timer.get() != null) {
            return;
        }
        Thread thread = new Thread(() -> awaitEnd(failure), "keyline-ledger-watchdog");
        thread.setDaemon(true);
        if (timer.compareAndSet(null, thread)) {
            thread.start();
        }
    }

    private void awaitEnd(Throwable failure) {
        try {
            if (!ended.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                whenStuck.accept(failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The timer started by the first failure, if any; for tests. */
    Optional<Thread> timer() {
        return Optional.ofNullable(timer.get());
    }

    /** The command ended by itself: nothing to do. */
    @Override
    public void close() {
        ended.countDown();
        BY_URL.remove(url, this);
    }

    private static void logOnly(Throwable failure) {
        LoggerFactory.getLogger(LedgerWatchdog.class).error("the ledger failed to write its file and the command has "
                + "not ended since; if it makes no progress, kill it and restart the run", failure);
    }
}
