package dev.keyline.job.remote;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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

    private Heartbeat(WorkerRegistry registry, WorkerIdentity worker, Runnable alsoEachPeriod) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keyline-heartbeat");
            t.setDaemon(true);
            t.setPriority(Thread.MAX_PRIORITY);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> beat(registry, worker), PERIOD.toMillis(), PERIOD.toMillis(),
                TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> {
            try {
                alsoEachPeriod.run();
            } catch (RuntimeException e) {
                LOG.warn("worker {}: {}", worker.describe(), e.getMessage());
            }
        }, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Registers the worker and starts beating.
     *
     * @param alsoEachPeriod run on the same thread after each period (the worker's check of its managers)
     */
    public static Heartbeat start(WorkerRegistry registry, WorkerIdentity worker, Runnable alsoEachPeriod) {
        registry.register(worker);
        return new Heartbeat(registry, worker, alsoEachPeriod);
    }

    private static void beat(WorkerRegistry registry, WorkerIdentity worker) {
        try {
            if (!registry.beat(worker.id())) {
                LOG.warn("worker {}: its row in keyline_worker was removed; registering again", worker.describe());
                registry.register(worker);
            }
        } catch (RuntimeException e) {
            // The database is away: the manager will count this worker lost if it stays away; keep trying.
            LOG.warn("worker {}: heartbeat failed: {}", worker.describe(), e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
