package dev.keyline.job;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.keyline.ledger.Deregistrations;

/**
 * What the CLI asks of the ledger about taking registrations back ({@code keyline deregister}, {@code register
 * --again-deregistered}), in the job layer's terms. Thread-safe.
 */
public final class Withdrawals {

    /**
     * One target's (device, target) pairs that a deregistration would take back.
     *
     * @param withThing     of them, pairs whose registration attached a thing
     * @param thingsCreated of those, things the registration created: the only ones deleted
     */
    public record Pairs(String target, long devices, long withThing, long thingsCreated) {
    }

    /**
     * Where an output's withdrawals stand with one target: pairs DEREGISTERED, REVOKED and still in flight, things
     * deleted and kept, and the in-flight pairs' errors by code with one message each.
     */
    public record TargetReport(String target, long deregistered, long revoked, long inFlight, long thingsDeleted,
                               long thingsKept, Map<String, Long> errors, Map<String, String> exampleMessages) {
        public TargetReport {
            errors = Map.copyOf(errors);
            exampleMessages = Map.copyOf(exampleMessages);
        }
    }

    private final Deregistrations ledger;

    Withdrawals(Deregistrations ledger) {
        this.ledger = ledger;
    }

    /** Checks what a command line selects against the ledger ({@link DeregistrationSelection#check}). */
    public DeregistrationSelection select(String outputId, List<String> targets, boolean explicitTargets,
                                          Optional<List<String>> devices, boolean revoke) {
        return DeregistrationSelection.check(ledger, outputId, targets, explicitTargets, devices, revoke);
    }

    /** Marks the selected REGISTERED pairs DEREGISTERING (REVOKING) with the reason, in one transaction. */
    public int mark(String outputId, Collection<String> targets, Optional<List<String>> devices, boolean revoke,
                    Optional<String> reason) {
        return ledger.mark(outputId, targets, devices.map(List::copyOf), revoke, reason, Instant.now());
    }

    /** Pairs of the targets in flight, whichever run marked them. */
    public long inFlight(String outputId, Collection<String> targets) {
        return ledger.countInFlight(outputId, targets);
    }

    /** Makes the targets' DEREGISTERED pairs pending for registration again; REVOKED ones stay. */
    public int reopenDeregistered(String outputId, Collection<String> targets) {
        return ledger.reopenDeregistered(outputId, targets, Instant.now());
    }

    /** Per target that has any, where the output's withdrawals stand. */
    public List<TargetReport> report(String outputId) {
        return ledger.summary(outputId).stream().map(t -> new TargetReport(t.target(), t.deregistered(), t.revoked(),
                t.inFlight(), t.thingsDeleted(), t.thingsKept(), t.errors(), t.exampleMessages())).toList();
    }
}
