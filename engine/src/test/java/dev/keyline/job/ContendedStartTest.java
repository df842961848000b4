package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.CannotSerializeTransactionException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Which failures of a start are a lost race in the job repository, and that only those are tried again, only while no
 * execution began, and not forever. The race itself on a real PostgreSQL is {@link PostgresContendedStartTest}'s.
 */
class ContendedStartTest {

    private final List<Duration> pauses = new ArrayList<>();
    private final AtomicReference<OptionalLong> started = new AtomicReference<>(OptionalLong.empty());
    private final ContendedStart starts = new ContendedStart(started::get, retry -> Duration.ofMillis(10L * retry),
            pauses::add);

    @Test
    void aSerializationFailureIsTriedAgainAfterAPauseUntilTheStartGetsThrough() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        String result = starts.run("the start of the run", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new CannotSerializeTransactionException("could not serialize access",
                        new SQLException("could not serialize access due to read/write dependencies", "40001"));
            }
            return "ended";
        });
        assertThat(result).isEqualTo("ended");
        assertThat(attempts).hasValue(3);
        assertThat(pauses).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20));
    }

    @Test
    void theDriversErrorAtTheCommitAndADeadlockAreLostRacesToo() {
        assertThat(ContendedStart.isLostRace(new TransactionSystemException("Could not commit JDBC transaction",
                new SQLException("could not serialize access", "40001")))).isTrue();
        assertThat(ContendedStart.isLostRace(new RuntimeException(new SQLException("deadlock detected", "40P01"))))
                .isTrue();
        assertThat(ContendedStart.isLostRace(new CannotAcquireLockException("lock"))).isTrue();
    }

    @Test
    void otherFailuresAreNotLostRaces() {
        assertThat(ContendedStart.isLostRace(new DataIntegrityViolationException("duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505")))).isFalse();
        // Spring Batch's version check: another process changed the execution, which a new attempt would not mend.
        assertThat(ContendedStart.isLostRace(new OptimisticLockingFailureException("version 3, expected 2"))).isFalse();
        assertThat(ContendedStart.isLostRace(new IllegalStateException("no CA passphrase"))).isFalse();
        assertThat(ContendedStart.isLostRace(new SQLException("connection refused", "08001"))).isFalse();
        assertThat(ContendedStart.isLostRace(new SQLException("no state"))).isFalse();
    }

    @Test
    void anyOtherFailureIsThrownAtOnce() {
        AtomicInteger attempts = new AtomicInteger();
        IllegalStateException failure = new IllegalStateException("the CA's key does not match its certificate");
        assertThatThrownBy(() -> starts.run("the start of the run", () -> {
            attempts.incrementAndGet();
            throw failure;
        })).isSameAs(failure);
        assertThat(attempts).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void aStartWhoseExecutionBeganIsNotRepeatedWhateverItsFailure() {
        AtomicInteger attempts = new AtomicInteger();
        CannotSerializeTransactionException failure = new CannotSerializeTransactionException("during the run");
        assertThatThrownBy(() -> starts.run("the start of the run", () -> {
            attempts.incrementAndGet();
            started.set(OptionalLong.of(7));
            throw failure;
        })).isSameAs(failure);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aRestartAfterAnEarlierExecutionOfThisProcessIsTriedAgainWhileNoNewOneBegan() throws Exception {
        started.set(OptionalLong.of(7));
        AtomicInteger attempts = new AtomicInteger();
        long execution = starts.run("the restart of execution 7", () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new CannotSerializeTransactionException("canceled on identification as a pivot");
            }
            started.set(OptionalLong.of(8));
            return 8L;
        });
        assertThat(execution).isEqualTo(8);
        assertThat(attempts).hasValue(2);
    }

    @Test
    void theLastAttemptsFailureIsThrownWhenTheRaceIsLostEveryTime() {
        AtomicInteger attempts = new AtomicInteger();
        List<CannotSerializeTransactionException> failures = new ArrayList<>();
        assertThatThrownBy(() -> starts.run("the start of the run", () -> {
            attempts.incrementAndGet();
            CannotSerializeTransactionException failure = new CannotSerializeTransactionException("attempt " + attempts);
            failures.add(failure);
            throw failure;
        })).isSameAs(failures.get(failures.size() - 1));
        assertThat(attempts).hasValue(ContendedStart.ATTEMPTS);
        assertThat(pauses).hasSize(ContendedStart.ATTEMPTS - 1);
    }
}
