package dev.keyline.job.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class OutageTest {

    private static final Duration RETRY = Duration.ofSeconds(2);

    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final Outage outage = new Outage("the broker at amqp://guest@mq:5672/", nanos::get);

    private Optional<String> failAfter(Duration elapsed, String cause) {
        nanos.addAndGet(elapsed.toNanos());
        return outage.failed(cause, RETRY);
    }

    @Test
    void nothingIsSaidWhileThePartAnswers() {
        assertThat(outage.answered()).isEmpty();
        assertThat(outage.answered()).isEmpty();
    }

    @Test
    void anOutageIsSaidOnceWhenItBeginsThenRemindedOfAMinuteApartAndItsEndIsSaid() {
        assertThat(failAfter(Duration.ZERO, "Connection refused")).hasValue(
                "the broker at amqp://guest@mq:5672/ does not answer (Connection refused); trying again every 2 s");
        for (int i = 0; i < 29; i++) {
            assertThat(failAfter(RETRY, "Connection refused")).as("attempt %d, %d s in", i + 2, (i + 1) * 2).isEmpty();
        }
        assertThat(failAfter(RETRY, "Connection reset")).hasValue("the broker at amqp://guest@mq:5672/ still does not"
                + " answer after 60 s (31 attempts; last: Connection reset)");
        assertThat(failAfter(Duration.ofSeconds(59), "x")).isEmpty();
        assertThat(failAfter(Duration.ofSeconds(1), "x")).hasValue(
                "the broker at amqp://guest@mq:5672/ still does not answer after 2 min 0 s (33 attempts; last: x)");

        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(outage.answered()).hasValue("the broker at amqp://guest@mq:5672/ answers again after 2 min 5 s");
        assertThat(outage.answered()).isEmpty();
    }

    @Test
    void aSecondOutageIsSaidAfreshWithItsOwnStart() {
        failAfter(Duration.ZERO, "down");
        failAfter(Duration.ofSeconds(30), "down");
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(outage.answered()).hasValue("the broker at amqp://guest@mq:5672/ answers again after 31 s");

        assertThat(failAfter(Duration.ofMinutes(10), "down again")).hasValue(
                "the broker at amqp://guest@mq:5672/ does not answer (down again); trying again every 2 s");
        assertThat(failAfter(Duration.ofSeconds(3), "down again")).isEmpty();
        assertThat(outage.answered()).hasValue("the broker at amqp://guest@mq:5672/ answers again after 3 s");
    }
}
