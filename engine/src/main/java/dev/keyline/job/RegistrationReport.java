package dev.keyline.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.keyline.ledger.RegistrationStatus;
import dev.keyline.ledger.TargetCount;

/**
 * What the ledger says about an output's registrations, per target: how many devices are registered, how many
 * failed and why (AWS's error code, how many, one message).
 *
 * @param unregistrable devices issued before Keyline kept certificates in the ledger, which it cannot register
 */
public record RegistrationReport(List<Target> targets, long unregistrable) {

    /**
     * One target's outcome; {@code failures} groups its failed devices by AWS's error code.
     *
     * @param withdrawn devices deregistered, revoked, or being so ({@code keyline deregister}): not registered, and
     *                  not failed either
     */
    public record Target(String name, long registered, long failed, long withdrawn, List<Failure> failures) {
    }

    public record Failure(String errorCode, long devices, String exampleMessage) {
    }

    public RegistrationReport {
        targets = List.copyOf(targets);
    }

    /** (device, target) pairs that failed, over every target. */
    public long failed() {
        return targets.stream().mapToLong(Target::failed).sum();
    }

    static RegistrationReport of(List<TargetCount> counts, long unregistrable) {
        Map<String, long[]> perTarget = new LinkedHashMap<>();
        for (TargetCount c : counts) {
            long[] n = perTarget.computeIfAbsent(c.target(), t -> new long[3]);
            n[c.status() == RegistrationStatus.REGISTERED ? 0 : c.status() == RegistrationStatus.FAILED ? 1 : 2] += c.devices();
        }
        List<Target> targets = new ArrayList<>();
        perTarget.forEach((name, n) -> {
            List<Failure> failures = new ArrayList<>();
            for (TargetCount c : counts) {
                if (c.target().equals(name) && c.status() == RegistrationStatus.FAILED) {
                    failures.add(new Failure(c.errorCode(), c.devices(), c.exampleMessage()));
                }
            }
            targets.add(new Target(name, n[0], n[1], n[2], List.copyOf(failures)));
        });
        return new RegistrationReport(targets, unregistrable);
    }
}
