package dev.keyline.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.keyline.job.ProvisionProgress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a run's progress while it goes: a bar (done/total, devices/s, ETA) on a terminal, a log line every few
 * seconds otherwise (CI logs, cron mail), so an unattended nightly run still says where it is.
 */
final class ProgressDisplay implements AutoCloseable {

    private static final long LOG_EVERY_MILLIS = 5_000;

    private final ProvisionProgress progress;
    private final PrintStream err;
    private final boolean terminal;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "keyline-progress");
        t.setDaemon(true);
        return t;
    });
    private final long started = System.nanoTime();
    private ProgressBar bar;
    private long lastLog = System.nanoTime();
    private boolean stopped;

    ProgressDisplay(ProvisionProgress progress, PrintStream err, boolean terminal) {
        this.progress = progress;
        this.err = err;
        this.terminal = terminal;
    }

    void start() {
        ticker.scheduleAtFixedRate(this::tick, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** Stops showing (the bar is closed at its last value): another display takes over the line. */
    synchronized void stop() {
        if (bar != null) {
            bar.stepTo(progress.baseline() + progress.done());
            bar.close();
            bar = null;
        }
        stopped = true;
    }

    private synchronized void tick() {
        long total = progress.total();
        if (total < 0 || stopped) {
            return;
        }
        long done = progress.baseline() + progress.done();
        if (terminal) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName("issue").setInitialMax(total)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setUnit(" devices", 1)
                        .showSpeed().setSpeedUnit(ChronoUnit.SECONDS)
                        .startsFrom(progress.baseline(), Duration.ZERO)
                        .setConsumer(new ConsoleProgressBarConsumer(err)).build();
            }
            bar.stepTo(done);
        } else if (System.nanoTime() - lastLog >= TimeUnit.MILLISECONDS.toNanos(LOG_EVERY_MILLIS)) {
            lastLog = System.nanoTime();
            double seconds = (System.nanoTime() - started) / 1e9;
            double rate = progress.done() / Math.max(seconds, 1e-3);
            String eta = rate > 0 ? formatDuration(Duration.ofSeconds((long) ((total - done) / rate))) : "?";
            if (progress.committedByWorkers() > 0) {
                // A remote run: the workers' commits, as the repository has them; issued and rejected are not told apart.
                err.printf("keyline: %,d/%,d rows done by the workers, %,.0f devices/s, ETA %s%n", done, total, rate, eta);
            } else {
                err.printf("keyline: %,d/%,d rows done (%,d issued, %,d rejected), %,.0f devices/s, ETA %s%n", done,
                        total, progress.issued(), progress.rejected(), rate, eta);
            }
        }
    }

    static String formatDuration(Duration d) {
        long s = d.getSeconds();
        return String.format("%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        if (bar != null) {
            bar.stepTo(progress.baseline() + progress.done());
            bar.close();
        }
    }
}
