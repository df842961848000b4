package dev.keyline.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.keyline.aws.IotOperation;
import dev.keyline.aws.Registrar;
import dev.keyline.aws.RegistrationStats;
import dev.keyline.job.RegistrationProgress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows registration while it goes, once the register step has counted its work: done/total (device, target
 * pairs), calls per second of each AWS operation (all targets), throttles and faults seen, the bulk registration task
 * being followed (status, percent, registered, failed), ETA. A bar on a
 * terminal; otherwise a log line every 5 s. The calls per second are measured over the last interval, so they
 * show what the rate limiters let through now.
 */
final class RegistrationDisplay implements AutoCloseable {

    private static final long LOG_EVERY_MILLIS = 5_000;
    private static final long BAR_RATE_WINDOW_MILLIS = 1_000;

    private final RegistrationProgress progress;
    private final Supplier<List<Registrar>> registrars;
    private final PrintStream err;
    private final boolean terminal;
    private final Runnable beforeFirstShow;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "keyline-register-progress");
        t.setDaemon(true);
        return t;
    });
    private ProgressBar bar;
    private long started;
    private long lastSample;
    private Map<IotOperation, Long> lastAttempts = new EnumMap<>(IotOperation.class);
    private String rates = "";

    /** What the display calls the work: the bar's name, its unit, the log line's verb. */
    record Wording(String task, String unit, String verb) {
        static final Wording REGISTER = new Wording("register", " registrations", "registered");
        static final Wording DEREGISTER = new Wording("deregister", " deregistrations", "took back");
    }

    private final Wording wording;

    /**
     * @param registrars      the registrars at work, asked at each refresh: the register step opens them itself
     * @param beforeFirstShow runs once when registration starts (the issuing display gives up the line)
     */
    RegistrationDisplay(RegistrationProgress progress, Supplier<List<Registrar>> registrars, PrintStream err, boolean terminal, Runnable beforeFirstShow) {
        this(progress, registrars, err, terminal, beforeFirstShow, Wording.REGISTER);
    }

    RegistrationDisplay(RegistrationProgress progress, Supplier<List<Registrar>> registrars, PrintStream err, boolean terminal,
                        Runnable beforeFirstShow, Wording wording) {
        this.wording = wording;
        this.progress = progress;
        this.registrars = registrars;
        this.err = err;
        this.terminal = terminal;
        this.beforeFirstShow = beforeFirstShow;
    }

    void start() {
        ticker.scheduleAtFixedRate(this::tick, 250, 250, TimeUnit.MILLISECONDS);
    }

    private synchronized void tick() {
        long total = progress.total();
        if (total < 0) {
            return;
        }
        long now = System.nanoTime();
        if (started == 0) {
            beforeFirstShow.run();
            started = now;
            lastSample = now;
            lastAttempts = attempts(snapshot());
            return;
        }
        long window = terminal ? BAR_RATE_WINDOW_MILLIS : LOG_EVERY_MILLIS;
        if (now - lastSample < TimeUnit.MILLISECONDS.toNanos(window)) {
            if (bar != null) {
                bar.stepTo(progress.done());
            }
            return;
        }
        Totals totals = snapshot();
        Map<IotOperation, Long> attempts = attempts(totals);
        rates = rates(lastAttempts, attempts, (now - lastSample) / 1e9);
        lastAttempts = attempts;
        lastSample = now;
        String extra = rates + " | throttled " + totals.throttled + ", faults " + totals.faults
                + (progress.failed() > 0 ? ", FAILED " + progress.failed() : "")
                + (progress.bulkTask().isEmpty() ? "" : " | " + progress.bulkTask());
        if (terminal) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName(wording.task()).setInitialMax(Math.max(total, 1))
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setUnit(wording.unit(), 1)
                        .showSpeed().setSpeedUnit(ChronoUnit.SECONDS)
                        .setConsumer(new ConsoleProgressBarConsumer(err)).build();
            }
            bar.maxHint(Math.max(total, 1)); // a bulk task adds its devices when it takes them on
            bar.setExtraMessage(extra);
            bar.stepTo(progress.done());
        } else {
            double seconds = (now - started) / 1e9;
            double perSecond = progress.done() / Math.max(seconds, 1e-3);
            String eta = perSecond > 0 ? ProgressDisplay.formatDuration(Duration.ofSeconds((long) ((total - progress.done()) / perSecond))) : "?";
            err.printf("keyline: %s %,d/%,d (device, target) pairs, %,.0f/s, ETA %s; %s%n", wording.verb(), progress.done(),
                    total, perSecond, eta, extra);
        }
    }

    private record Totals(Map<IotOperation, Long> attempts, long throttled, long faults) {
    }

    private Totals snapshot() {
        Map<IotOperation, Long> attempts = new EnumMap<>(IotOperation.class);
        long throttled = 0;
        long faults = 0;
        for (Registrar registrar : registrars.get()) {
            RegistrationStats.Snapshot s = registrar.stats().snapshot();
            s.attempts().forEach((operation, n) -> attempts.merge(operation, n, Long::sum));
            throttled += s.throttled();
            faults += s.faults();
        }
        return new Totals(attempts, throttled, faults);
    }

    private static Map<IotOperation, Long> attempts(Totals totals) {
        return new EnumMap<>(totals.attempts);
    }

    private static String rates(Map<IotOperation, Long> before, Map<IotOperation, Long> after, double seconds) {
        StringJoiner joined = new StringJoiner(", ");
        after.forEach((operation, n) -> {
            long delta = n - before.getOrDefault(operation, 0L);
            if (delta > 0) {
                joined.add(String.format("%s %.0f/s", operation.awsName(), delta / Math.max(seconds, 1e-3)));
            }
        });
        return joined.length() == 0 ? "no calls" : joined.toString();
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        if (bar != null) {
            bar.stepTo(progress.done());
            bar.close();
        }
    }
}
