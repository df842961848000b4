package dev.keyline.job;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;

import io.micrometer.observation.ObservationRegistry;

/**
 * The metrics of this process's run, pushed to a Prometheus Pushgateway ({@code --metrics-push URL}), or none. Off, it
 * costs nothing: no registry exists, no Prometheus class is loaded, and Spring Batch's observations go to
 * {@link ObservationRegistry#NOOP}. On, {@link #enable} must come before the command opens its {@link Provisioning}
 * (the jobs' builders take the observation registry then), and {@link #start} once the output is known.
 */
public abstract class RunMetrics implements AutoCloseable {

    private static volatile ObservationRegistry observations = ObservationRegistry.NOOP;

    /** Spring Batch's observations (job, step, chunk, item): to the pushed registry when metrics are on. */
    static ObservationRegistry observations() {
        return observations;
    }

    /** No metrics. */
    public static RunMetrics off() {
        return new RunMetrics() {
            @Override
            public AutoCloseable start(String job, String outputId, Provisioning provisioning) {
                return () -> { };
            }
        };
    }

    /**
     * Metrics pushed to a Pushgateway every {@code interval} and at the end; a gateway that cannot be reached is one
     * warning on {@code warnings}, and the run goes on.
     */
    public static RunMetrics enable(URI gateway, Duration interval, PrintStream warnings) {
        PrometheusRunMetrics metrics = new PrometheusRunMetrics(gateway, interval, warnings);
        observations = metrics.observationRegistry();
        return metrics;
    }

    /**
     * Binds Keyline's meters to this command's run and starts pushing under the job's name and the output's id;
     * closing it pushes once more and stops.
     */
    public abstract AutoCloseable start(String job, String outputId, Provisioning provisioning);

    /** The command ended: Spring Batch's observations go nowhere again (tests run many commands in one JVM). */
    @Override
    public void close() {
        observations = ObservationRegistry.NOOP;
    }
}
