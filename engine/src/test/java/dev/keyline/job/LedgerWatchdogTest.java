package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;
import org.junit.jupiter.api.Test;

class LedgerWatchdogTest {

    private static final String URL = "jdbc:h2:file:/data/out/.keyline/ledger";

    @Test
    void aCommandThatDoesNotEndAfterAFailedWriteIsEndedWithThatFailure() throws Exception {
        CompletableFuture<Throwable> stuck = new CompletableFuture<>();
        LedgerWatchdog watchdog = new LedgerWatchdog(URL, Duration.ofMillis(10), stuck::complete);
        SQLException failure = new SQLException("IO Exception", new IOException("No space left on device"));
        watchdog.ledgerFailed(failure);
        watchdog.ledgerFailed(new SQLException("a second one does not count"));
        assertThat(stuck.get(60, TimeUnit.SECONDS)).isSameAs(failure);
    }

    @Test
    void aCommandThatEndsByItselfIsLeftAlone() throws Exception {
        AtomicInteger stuck = new AtomicInteger();
        LedgerWatchdog watchdog = new LedgerWatchdog(URL, Duration.ofHours(1), f -> stuck.incrementAndGet());
        watchdog.ledgerFailed(new SQLException("No space left on device"));
        Thread timer = watchdog.timer().orElseThrow();
        watchdog.close();
        timer.join();
        assertThat(stuck).hasValue(0);
    }

    @Test
    void withoutAFailedWriteThereIsNothingToWatch() {
        LedgerWatchdog watchdog = new LedgerWatchdog(URL, Duration.ofMillis(1), f -> { });
        watchdog.close();
        watchdog.ledgerFailed(new SQLException("No space left on device"));
        assertThat(watchdog.timer()).isEmpty();
    }

    @Test
    void h2FindsTheWatchdogOfItsLedgerByTheUrlWithoutSettings() {
        try (LedgerWatchdog watchdog = LedgerWatchdog.watch(URL + ";WRITE_DELAY=0;AUTO_SERVER=TRUE")) {
            LedgerFailureListener listener = new LedgerFailureListener();
            listener.init(URL);
            listener.exceptionThrown(new SQLException("Unique index or primary key violation"), "INSERT");
            assertThat(watchdog.timer()).as("a refused statement is no failed write").isEmpty();
            listener.exceptionThrown(new SQLException("IO Exception", new MVStoreException(
                    DataUtils.ERROR_WRITING_FAILED, "Writing to ledger.mv.db failed")), "COMMIT");
            assertThat(watchdog.timer()).isPresent();
        }
        assertThat(LedgerWatchdog.of(URL)).as("closed: no longer watched").isEmpty();
    }

    @Test
    void aFullDiskIsAFailedWriteWhateverWrapsIt() {
        assertThat(LedgerFailureListener.isFailedWrite(new SQLException("General error",
                new IllegalStateException(new IOException("No space left on device"))))).isTrue();
        assertThat(LedgerFailureListener.isFailedWrite(new SQLException("Timeout trying to lock table"))).isFalse();
    }
}
