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
 * What taking registrations back will take, computed before any call ({@code keyline deregister --plan}): the calls
 * of each operation per target, as {@link Deregistrar} makes them, and the expected duration at the target's quotas
 * (as {@link RegistrationPlan}: a target's time is its slowest operation's {@code calls / quota}; targets run side by
 * side). The counts are the least: a throttled call is retried, a detach that is slow to show is polled again, and a
 * certificate with several policies has a DetachPolicy for each. Pure computation.
 */
public record DeregistrationPlan(List<TargetPlan> targets, boolean revoke, Duration expectedDuration) {

    public DeregistrationPlan {
        targets = List.copyOf(targets);
        Objects.requireNonNull(expectedDuration, "expectedDuration");
    }

    /**
     * One target's share.
     *
     * @param pairs        devices to take back with it
     * @param withThing    of those, devices whose registration attached a thing
     * @param thingsToDelete of those, things Keyline created: the only ones deleted (if no other principal uses them)
     */
    public record TargetPlan(String target, long pairs, long withThing, long thingsToDelete, Map<IotOperation, Long> calls,
                             IotOperation bottleneck, Duration duration) {
        public TargetPlan {
            calls = Collections.unmodifiableMap(new EnumMap<>(calls));
        }
    }

    /** The numbers of one target, from the ledger. */
    public record Selected(RegistrationTarget target, long pairs, long withThing, long thingsCreated) {
        public Selected {
            Objects.requireNonNull(target, "target");
        }
    }

    public static DeregistrationPlan of(List<Selected> selected, boolean revoke) {
        List<TargetPlan> plans = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (Selected s : selected) {
            TargetPlan plan = plan(s, revoke);
            plans.add(plan);
            if (plan.duration().compareTo(longest) > 0) {
                longest = plan.duration();
            }
        }
        return new DeregistrationPlan(plans, revoke, longest);
    }

    private static TargetPlan plan(Selected s, boolean revoke) {
        RegistrationTarget target = s.target();
        EnumMap<IotOperation, Long> calls = new EnumMap<>(IotOperation.class);
        calls.put(IotOperation.UPDATE_CERTIFICATE, s.pairs());
        calls.put(IotOperation.LIST_ATTACHED_POLICIES, s.pairs());
        if (target.policyName().isPresent() || target.template().isPresent()) {
            calls.put(IotOperation.DETACH_POLICY, s.pairs()); // the target's policy, or the one its template attaches
        }
        calls.put(IotOperation.DETACH_THING_PRINCIPAL, s.withThing());
        calls.put(IotOperation.LIST_THING_PRINCIPALS, s.withThing());
        if (!revoke) {
            calls.put(IotOperation.DELETE_CERTIFICATE, s.pairs());
        }
        calls.put(IotOperation.DELETE_THING, s.thingsCreated());
        calls.values().removeIf(n -> n == 0);
        IotOperation bottleneck = null;
        double slowest = 0;
        for (Map.Entry<IotOperation, Long> e : calls.entrySet()) {
            double seconds = e.getValue() / target.quota(e.getKey());
            if (bottleneck == null || seconds > slowest) {
                bottleneck = e.getKey();
                slowest = seconds;
            }
        }
        return new TargetPlan(target.name(), s.pairs(), s.withThing(), s.thingsCreated(), calls, bottleneck,
                Duration.ofMillis((long) Math.ceil(slowest * 1000)));
    }

    /** The plan as lines, counts with thousands separators. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (TargetPlan t : targets) {
            lines.add("target " + t.target() + ": " + Counted.of(t.pairs(), "device") + " to " + (revoke ? "revoke" : "deregister")
                    + ", about " + RegistrationPlan.human(t.duration())
                    + (t.bottleneck() == null ? "" : ", paced by " + t.bottleneck().awsName()));
            lines.add(String.format("  certificates: %,d set %s%s", t.pairs(), revoke ? "REVOKED and kept" : "INACTIVE",
                    revoke ? "" : ", then deleted"));
            lines.add(String.format("  things: %,d detached; %,d deleted (created by Keyline), %,d left (not known to be "
                    + "Keyline's)", t.withThing(), t.thingsToDelete(), t.withThing() - t.thingsToDelete()));
            t.calls().forEach((operation, n) -> lines.add("  " + operation.awsName() + ": " + Counted.of(n, "call")));
        }
        lines.add("expected duration: " + RegistrationPlan.human(expectedDuration) + " (targets in parallel; retries after "
                + "throttling, a detach slow to show and a second policy come on top)");
        return lines;
    }
}
