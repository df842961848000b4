package dev.keyline.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import dev.keyline.text.Counted;

/**
 * What registering the pending devices will take, computed before any call: the calls of each operation per
 * target, the expected duration at the target's quotas, and when another route would be faster. Pure computation.
 * <p>
 * Duration: a device's calls follow one another, but devices run concurrently, so a target's time is set by its
 * slowest operation, {@code calls / quota}; targets are separate accounts and run side by side, so the plan
 * takes the longest target. Retries after throttling come on top; the estimate assumes enough threads to keep
 * every quota busy.
 * <p>
 * Recommendations (thresholds are constants, stated with their reason):
 * <ul>
 * <li>JITP, when a target's registration would take longer than {@link #JITP_THRESHOLD}: the CA is registered
 * once and each device registers itself on its first connection, so Keyline makes no per-device call at all; the
 * price is a first connection that is dropped and retried by the device, and a CA registered in the account.</li>
 * <li>The bulk registration task (StartThingRegistrationTask), when a target has at least
 * {@link #BULK_MIN_DEVICES} devices and takes longer than {@link #BULK_THRESHOLD}: AWS works through an S3 file
 * itself (one task per account at a time), instead of Keyline pacing RegisterThing at 10/s by default. Its own
 * throughput is not published, so this advice rests on the per-call route being slow, not on a measured rate.</li>
 * </ul>
 * <p>
 * A {@code bulk-task} target makes no per-device call: its devices go in consecutive tasks of at most
 * {@code bulk.max-lines}, each taking {@code lines / bulk.lines-per-second} (an assumption: AWS publishes no task
 * throughput). AWS runs one task per account at a time, so bulk targets of one account add up, and the plan's
 * duration is the longest of the per-call targets and the accounts' task sequences.
 */
public record RegistrationPlan(List<TargetPlan> targets, Duration expectedDuration) {

    /** Past an hour of per-device calls, registering the CA once for JITP wins. */
    public static final Duration JITP_THRESHOLD = Duration.ofHours(1);
    /** A bulk task has a fixed cost (S3 upload, a role, polling the task); below these it is not worth it. */
    public static final Duration BULK_THRESHOLD = Duration.ofMinutes(15);
    public static final long BULK_MIN_DEVICES = 1_000;

    public RegistrationPlan {
        targets = List.copyOf(targets);
        Objects.requireNonNull(expectedDuration, "expectedDuration");
    }

    /**
     * One target's share: calls per operation, the operation that sets the pace, time, advice.
     *
     * @param tasks mode bulk-task: the devices of each task it would run, in order; empty for the other modes
     */
    public record TargetPlan(String target, RegistrationMode mode, long devices, Map<IotOperation, Long> calls,
            IotOperation bottleneck, Duration duration, List<String> recommendations, List<Long> tasks) {
        public TargetPlan {
            calls = Collections.unmodifiableMap(new EnumMap<>(calls));
            recommendations = List.copyOf(recommendations);
            tasks = List.copyOf(tasks);
        }
    }

    /**
     * @param pending devices still to register, per target (a device going to two targets counts in both)
     */
    public static RegistrationPlan of(Map<RegistrationTarget, Long> pending) {
        List<TargetPlan> plans = new ArrayList<>();
        Duration longest = Duration.ZERO;
        Map<String, Duration> tasksPerAccount = new java.util.HashMap<>();
        for (Map.Entry<RegistrationTarget, Long> e : pending.entrySet()) {
            TargetPlan plan = e.getKey().mode() == RegistrationMode.BULK_TASK ? bulkPlan(e.getKey(), e.getValue())
                    : plan(e.getKey(), e.getValue());
            plans.add(plan);
            Duration duration = plan.duration();
            if (plan.mode() == RegistrationMode.BULK_TASK) {
                duration = tasksPerAccount.merge(e.getKey().bulk().orElseThrow().roleAccount(), duration, Duration::plus);
            }
            if (duration.compareTo(longest) > 0) {
                longest = duration;
            }
        }
        return new RegistrationPlan(plans, longest);
    }

    /** Consecutive tasks of at most bulk.max-lines devices, each at bulk.lines-per-second. */
    private static TargetPlan bulkPlan(RegistrationTarget target, long devices) {
        if (devices < 0) {
            throw new IllegalArgumentException("pending devices for target " + target.name() + " is negative: " + devices);
        }
        BulkSettings bulk = target.bulk().orElseThrow();
        List<Long> tasks = new ArrayList<>();
        for (long left = devices; left > 0; left -= Math.min(left, bulk.maxLines())) {
            tasks.add(Math.min(left, bulk.maxLines()));
        }
        EnumMap<IotOperation, Long> calls = new EnumMap<>(IotOperation.class);
        if (!tasks.isEmpty()) {
            calls.put(IotOperation.START_THING_REGISTRATION_TASK, (long) tasks.size());
        }
        return new TargetPlan(target.name(), target.mode(), devices, calls, null, taskDuration(devices, bulk), List.of(), tasks);
    }

    private static Duration taskDuration(long lines, BulkSettings bulk) {
        return Duration.ofMillis((long) Math.ceil(lines / bulk.linesPerSecond() * 1000));
    }

    /** Calls one device costs with the target: one per operation, as the {@link Registrar} makes them. */
    public static List<IotOperation> callsPerDevice(RegistrationTarget target) {
        List<IotOperation> calls = new ArrayList<>();
        switch (target.mode()) {
            case TEMPLATE -> calls.add(IotOperation.REGISTER_THING);
            case BULK_TASK -> {
                // no call per device: the task registers them (see bulkPlan)
            }
            case WITH_CA, WITHOUT_CA -> {
                calls.add(target.mode() == RegistrationMode.WITH_CA
                        ? IotOperation.REGISTER_CERTIFICATE : IotOperation.REGISTER_CERTIFICATE_WITHOUT_CA);
                if (target.createThing()) {
                    calls.add(IotOperation.CREATE_THING);
                    calls.add(IotOperation.LIST_THING_PRINCIPALS);
                    calls.add(IotOperation.ATTACH_THING_PRINCIPAL);
                }
                if (target.policyName().isPresent()) {
                    calls.add(IotOperation.ATTACH_POLICY);
                }
            }
        }
        return calls;
    }

    private static TargetPlan plan(RegistrationTarget target, long devices) {
        if (devices < 0) {
            throw new IllegalArgumentException("pending devices for target " + target.name() + " is negative: " + devices);
        }
        EnumMap<IotOperation, Long> calls = new EnumMap<>(IotOperation.class);
        IotOperation bottleneck = null;
        double slowest = 0;
        for (IotOperation operation : callsPerDevice(target)) {
            calls.merge(operation, devices, Long::sum);
            double seconds = devices / target.quota(operation);
            if (bottleneck == null || seconds > slowest) {
                bottleneck = operation;
                slowest = seconds;
            }
        }
        Duration duration = Duration.ofMillis((long) Math.ceil(slowest * 1000));
        List<String> advice = new ArrayList<>();
        if (duration.compareTo(JITP_THRESHOLD) > 0) {
            advice.add("JITP would be faster: " + Counted.of(devices, "device takes", "devices take") + " " + human(duration) + " at "
                    + target.quota(bottleneck) + " " + bottleneck.awsName() + "/s; register the CA once"
                    + (target.mode() == RegistrationMode.WITHOUT_CA ? " (as SNI_ONLY in this account)" : "")
                    + " with a JITP template and the devices register themselves on first connect");
        }
        if (devices >= BULK_MIN_DEVICES && duration.compareTo(BULK_THRESHOLD) > 0) {
            advice.add("the bulk registration task (StartThingRegistrationTask) would be faster: AWS processes an S3 file of "
                    + Counted.of(devices, "device") + " itself instead of " + human(duration) + " of paced calls; one task per account at a time");
        }
        return new TargetPlan(target.name(), target.mode(), devices, calls, bottleneck, duration, advice, List.of());
    }

    /** 2h 05m 10s, 4m 00s, 12.5s */
    static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600) {
            return String.format("%dh %02dm %02ds", s / 3600, s % 3600 / 60, s % 60);
        }
        if (s >= 60) {
            return String.format("%dm %02ds", s / 60, s % 60);
        }
        return String.format("%.1fs", d.toMillis() / 1000.0);
    }

    /** The plan as lines for {@code keyline register --plan}. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (TargetPlan t : targets) {
            lines.add("target " + t.target() + " (" + t.mode().id() + "): " + Counted.of(t.devices(), "device") + ", about " + human(t.duration())
                    + (t.bottleneck() == null ? "" : ", paced by " + t.bottleneck().awsName()));
            t.calls().forEach((operation, n) -> lines.add("  " + operation.awsName() + ": " + Counted.of(n, "call")));
            for (int i = 0; i < t.tasks().size(); i++) {
                lines.add("  task " + (i + 1) + " of " + t.tasks().size() + ": " + Counted.of(t.tasks().get(i), "device")
                        + ", about " + human(Duration.ofMillis((long) Math.ceil((double) t.tasks().get(i) / t.devices()
                        * t.duration().toMillis()))));
            }
            if (!t.tasks().isEmpty()) {
                lines.add("  (tasks run one after the other, one per account at a time; the time assumes the target's "
                        + "bulk.lines-per-second: AWS publishes no task throughput)");
            }
            t.recommendations().forEach(r -> lines.add("  advice: " + r));
        }
        lines.add("expected duration: " + human(expectedDuration) + " (targets in parallel, bulk tasks of one account in turn;"
                + " retries after throttling come on top)");
        return lines;
    }
}
