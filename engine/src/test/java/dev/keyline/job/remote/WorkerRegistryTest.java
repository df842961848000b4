package dev.keyline.job.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The workers' and managers' rows, on a real (in-memory H2) database. */
class WorkerRegistryTest {

    private WorkerRegistry registry;

    @BeforeEach
    void database() {
        registry = new WorkerRegistry(new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
        registry.createSchema();
        registry.createSchema(); // idempotent, as every command runs it
    }

    @Test
    void onlyOneWorkerClaimsAPartitionAndItsClaimEnds() {
        WorkerIdentity a = WorkerIdentity.ofThisProcess("a", 2, "q");
        WorkerIdentity b = WorkerIdentity.ofThisProcess("b", 1, "q");
        registry.register(a);
        registry.register(b);
        assertThat(registry.claim(a.id(), 1, 10)).isTrue();
        assertThat(registry.claim(b.id(), 1, 10)).as("a request delivered twice runs once").isFalse();
        assertThat(registry.claims(1)).singleElement().satisfies(c -> {
            assertThat(c.workerId()).isEqualTo(a.id());
            assertThat(c.ended()).isEmpty();
        });
        registry.released(10);
        assertThat(registry.claims(1)).singleElement().satisfies(c -> assertThat(c.ended()).isPresent());
    }

    @Test
    void heartbeatsRaiseTheCounterAndAStoppedWorkerIsNoLongerRunning() {
        WorkerIdentity a = WorkerIdentity.ofThisProcess(null, 2, "q");
        registry.register(a);
        assertThat(a.name()).isEqualTo(a.host());
        assertThat(registry.beat(a.id())).isTrue();
        assertThat(registry.beat(a.id())).isTrue();
        assertThat(registry.running()).singleElement().satisfies(w -> assertThat(w.beats()).isEqualTo(2));
        assertThat(registry.beat("nobody")).isFalse();
        registry.stopped(a.id());
        assertThat(registry.running()).isEmpty();
        assertThat(registry.seenWithin(60)).singleElement().satisfies(w -> assertThat(w.stopped()).isPresent());
    }

    @Test
    void aManagerIsAliveToItsWorkersWhileItBeatsByTheDatabasesClock() throws Exception {
        ManagerWatch watch = new ManagerWatch(registry);
        assertThat(watch.alive(5, Duration.ofSeconds(6))).as("not beating yet: it is starting").isTrue();
        registry.managerBeat(5, "h", 1);
        assertThat(watch.alive(5, Duration.ofSeconds(6))).isTrue();
        assertThat(registry.managerSilence(5)).hasValueSatisfying(d -> assertThat(d).isLessThan(Duration.ofSeconds(6)));
        // Wait for the state, by the database's clock: its silence past the 50 ms timeout (bounded).
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (registry.managerSilence(5).orElseThrow().compareTo(Duration.ofMillis(60)) < 0) {
            assertThat(System.nanoTime()).as("the database's clock moves on").isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(watch.alive(5, Duration.ofMillis(50))).as("silent longer than a 50 ms timeout").isFalse();
        registry.managerBeat(5, "h", 1);
        assertThat(watch.alive(5, Duration.ofSeconds(6))).as("it beats again").isTrue();
    }
}
