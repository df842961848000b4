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

    /** One target's share: calls per operation, the operation that sets the pace, time, advice. */
    public record TargetPlan(String target, RegistrationMode mode, long devices, Map<IotOperation, Long> calls,
            IotOperation bottleneck, Duration duration, List<String> recommendations) {
        public TargetPlan {
            calls = Collections.unmodifiableMap(new EnumMap<>(calls));
            recommendations = List.copyOf(recommendations);
        }
    }

    /**
     * @param pending devices still to register, per target (a device going to two targets counts in both)
     */
    public static RegistrationPlan of(Map<RegistrationTarget, Long> pending) {
        List<TargetPlan> plans = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (Map.Entry<RegistrationTarget, Long> e : pending.entrySet()) {
            TargetPlan plan = plan(e.getKey(), e.getValue());
            plans.add(plan);
            if (plan.duration().compareTo(longest) > 0) {
                longest = plan.duration();
            }
        }
        return new RegistrationPlan(plans, longest);
    }

    /** Calls one device costs with the target: one per operation, as the {@link Registrar} makes them. */
    public static List<IotOperation> callsPerDevice(RegistrationTarget target) {
        List<IotOperation> calls = new ArrayList<>();
        switch (target.mode()) {
            case TEMPLATE -> calls.add(IotOperation.REGISTER_THING);
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
        return new TargetPlan(target.name(), target.mode(), devices, calls, bottleneck, duration, advice);
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
            t.recommendations().forEach(r -> lines.add("  advice: " + r));
        }
        lines.add("expected duration: " + human(expectedDuration) + " (targets in parallel; retries after throttling come on top)");
        return lines;
    }
}
