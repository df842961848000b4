package dev.keyline.job.remote;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's heartbeat: its own thread raises the worker's counter in the database every {@link #PERIOD}, so a chunk
 * that takes long (RSA keys, a slow HSM) never silences it, and only a process that is gone (or cut off from the
 * database) stops beating. A third of the shortest worker timeout: two beats can be late before it counts.
 */
public final class Heartbeat implements AutoCloseable {

    public static final Duration PERIOD = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final ScheduledExecutorService timer;
    private final Outage database = new Outage("the database", System::nanoTime);

    private Heartbeat(WorkerRegistry registry, WorkerIdentity worker, Runnable alsoEachPeriod, Consumer<String> say) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keyline-heartbeat");
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> beatAndCheck(registry, worker, alsoEachPeriod, say), PERIOD.toMillis(),
                PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Registers the worker and starts beating.
     *
     * @param alsoEachPeriod run on the same thread after each beat (the worker's check of its managers)
     * @param say             where the start and end of a database outage are said (the worker's console and log)
     */
    public static Heartbeat start(WorkerRegistry registry, WorkerIdentity worker, Runnable alsoEachPeriod,
                                  Consumer<String> say) {
        registry.register(worker);
        return new Heartbeat(registry, worker, alsoEachPeriod, say);
    }

    private void beatAndCheck(WorkerRegistry registry, WorkerIdentity worker, Runnable alsoEachPeriod,
                              Consumer<String> say) {
        try {
            if (!registry.beat(worker.id())) {
                LOG.warn("worker {}: its row in keyline_worker was removed; registering again", worker.describe());
                registry.register(worker);
            }
            alsoEachPeriod.run();
            database.answered().ifPresent(say);
        } catch (RuntimeException e) {
            // The database is away: the manager counts this worker lost if it stays away longer than the run's timeout,
            // and its partitions' next commits fail; it keeps trying, so it serves again once the database is back.
            database.failed("heartbeat: " + e.getMessage(), PERIOD).ifPresent(say);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
