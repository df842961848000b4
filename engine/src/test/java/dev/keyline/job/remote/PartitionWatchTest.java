package dev.keyline.job.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;

/** The manager's judgement of partitions that have not ended, on a fake clock. */
class PartitionWatchTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final AtomicLong nanos = new AtomicLong();
    private final PartitionWatch watch = new PartitionWatch(TIMEOUT, "q", nanos::get);

    private static WorkerRegistry.WorkerRow worker(String id, long beats, String queue) {
        OffsetDateTime t = OffsetDateTime.parse("2026-12-06T10:00:00Z");
        return new WorkerRegistry.WorkerRow(new WorkerIdentity(id, id, "host-" + id, 100, 2, queue), t, t, beats,
                Optional.empty(), t);
    }

    private static WorkerRegistry.Claim open(long step, String worker) {
        return new WorkerRegistry.Claim(step, worker, OffsetDateTime.parse("2026-12-06T10:00:00Z"), Optional.empty());
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private static final PartitionWatch.Partition RUNNING = new PartitionWatch.Partition(7, "issue-worker:partition001",
            BatchStatus.STARTED);
    private static final PartitionWatch.Partition WAITING = new PartitionWatch.Partition(8, "issue-worker:partition002",
            BatchStatus.STARTING);

    @Test
    void aWorkerWhoseHeartbeatMovesKeepsItsPartitionHoweverLongItRuns() {
        for (int beat = 0; beat < 100; beat++) {
            assertThat(watch.judge(List.of(RUNNING), Map.of(7L, open(7, "a")), List.of(worker("a", beat, "q"))))
                    .isEmpty();
            advance(Duration.ofSeconds(2));
        }
    }

    @Test
    void aWorkerSilentForTheTimeoutLosesItsPartitionNamingIt() {
        assertThat(watch.judge(List.of(RUNNING), Map.of(7L, open(7, "a")), List.of(worker("a", 5, "q")))).isEmpty();
        advance(TIMEOUT.minusSeconds(1));
        assertThat(watch.judge(List.of(RUNNING), Map.of(7L, open(7, "a")), List.of(worker("a", 5, "q")))).isEmpty();
        advance(Duration.ofSeconds(1));
        List<PartitionWatch.Verdict> verdicts = watch.judge(List.of(RUNNING), Map.of(7L, open(7, "a")),
                List.of(worker("a", 5, "q")));
        assertThat(verdicts).singleElement().satisfies(v -> {
            assertThat(v.stepExecutionId()).isEqualTo(7);
            assertThat(v.lost()).isTrue();
            assertThat(v.reason()).contains("a (host-a, pid 100)").contains("no heartbeat for 30s");
        });
    }

    @Test
    void aWorkerWhoseRowIsGoneLosesItsPartitionAtOnce() {
        assertThat(watch.judge(List.of(RUNNING), Map.of(7L, open(7, "gone")), List.of(worker("b", 1, "q"))))
                .singleElement().satisfies(v -> assertThat(v.reason()).contains("gone"));
    }

    @Test
    void aRequestWaitsInTheQueueWhileAWorkerOnTheQueueLivesButFailsOnceNoneHasForTheTimeout() {
        for (int i = 0; i < 30; i++) {
            assertThat(watch.judge(List.of(WAITING), Map.of(), List.of(worker("busy", i, "q")))).isEmpty();
            advance(Duration.ofSeconds(2));
        }
        // a worker on another queue does not count
        assertThat(watch.judge(List.of(WAITING), Map.of(), List.of(worker("other", 1, "elsewhere")))).isEmpty();
        advance(TIMEOUT);
        assertThat(watch.judge(List.of(WAITING), Map.of(), List.of(worker("other", 1, "elsewhere"))))
                .singleElement().satisfies(v -> {
                    assertThat(v.lost()).isFalse();
                    assertThat(v.reason()).contains("no worker took it").contains("queue q");
                });
    }

    @Test
    void aPartitionMarkedRunningThatNoWorkerHoldsIsLostAfterTheTimeout() {
        WorkerRegistry.Claim ended = new WorkerRegistry.Claim(7, "a", OffsetDateTime.parse("2026-12-06T10:00:00Z"),
                Optional.of(OffsetDateTime.parse("2026-12-06T10:01:00Z")));
        assertThat(watch.judge(List.of(RUNNING), Map.of(7L, ended), List.of(worker("a", 1, "q")))).isEmpty();
        advance(TIMEOUT);
        assertThat(watch.judge(List.of(RUNNING), Map.of(7L, ended), List.of(worker("a", 2, "q")))).singleElement()
                .satisfies(v -> assertThat(v.reason()).contains("no worker has held it"));
    }
}
