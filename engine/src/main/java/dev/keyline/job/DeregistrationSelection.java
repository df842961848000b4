package dev.keyline.job;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.keyline.ledger.Deregistrations;
import dev.keyline.ledger.RegistrationStatus;

/**
 * What a {@code keyline deregister} command line selects, checked against the ledger before any call: every device
 * it names must be one of the output's, and registered with each target named ({@code --target}), or with at least
 * one of the targets when it names none. A pair already taken back is no error (running the same command twice is
 * safe): it is only noted.
 *
 * @param devices the devices named; empty: every device registered with the targets
 * @param counts  per target, what would be taken back: REGISTERED and in-flight pairs, with a thing, with a thing
 *                registration created
 * @param notes   pairs named that are taken back already, or cannot be in the way asked (a deleted certificate
 *                cannot be revoked)
 */
public record DeregistrationSelection(Optional<List<String>> devices, List<Withdrawals.Pairs> counts,
                                      List<String> notes) {

    /** At most this many refused devices are named in the message. */
    private static final int NAMED = 10;

    public DeregistrationSelection {
        devices = devices.map(List::copyOf);
        counts = List.copyOf(counts);
        notes = List.copyOf(notes);
    }

    /** (device, target) pairs that would be taken back, over every target. */
    public long pairs() {
        return counts.stream().mapToLong(Withdrawals.Pairs::devices).sum();
    }

    /**
     * @param explicitTargets whether the targets were named ({@code --target}) rather than all configured ones
     * @throws DeviceSelectionException naming the devices refused and why
     */
    static DeregistrationSelection check(Deregistrations ledger, String outputId, List<String> targets,
                                                boolean explicitTargets, Optional<List<String>> devices, boolean revoke) {
        if (devices.isEmpty()) {
            return new DeregistrationSelection(devices, ledger.selection(outputId, targets).stream()
                    .map(t -> new Withdrawals.Pairs(t.target(), t.devices(), t.withThing(), t.thingsCreated())).toList(), List.of());
        }
        Set<String> unknown = ledger.unknownDevices(outputId, devices.get());
        if (!unknown.isEmpty()) {
            throw refused(unknown, "the output has no device ", "; check the ids (keyline status --out DIR lists the "
                    + "output; manifest.csv has every device id)");
        }
        Map<String, List<Deregistrations.Row>> rows = ledger.rowsOf(outputId, devices.get(), targets);
        Map<String, long[]> perTarget = new LinkedHashMap<>();
        targets.forEach(t -> perTarget.put(t, new long[3]));
        List<String> notes = new ArrayList<>();
        Map<String, String> notRegistered = new LinkedHashMap<>();
        for (String device : devices.get()) {
            Map<String, Deregistrations.Row> byTarget = new LinkedHashMap<>();
            rows.getOrDefault(device, List.of()).forEach(r -> byTarget.put(r.target(), r));
            List<String> missing = new ArrayList<>();
            boolean any = false;
            for (String target : targets) {
                Deregistrations.Row row = byTarget.get(target);
                RegistrationStatus status = row == null ? null : row.status();
                if (status == RegistrationStatus.REGISTERED || (status != null && status.inFlight())) {
                    any = true;
                    long[] n = perTarget.get(target);
                    n[0]++;
                    n[1] += row.thingArn().isPresent() ? 1 : 0;
                    n[2] += row.thingArn().isPresent() && row.thingCreated() ? 1 : 0;
                } else if (status != null && status.withdrawn()) {
                    any = true;
                    notes.add("device " + device + " is " + status + " with target " + target + " already"
                            + (revoke && status == RegistrationStatus.DEREGISTERED
                            ? ": its certificate was deleted, so there is nothing to revoke" : "") + "; left as it is");
                } else {
                    missing.add(target + (status == null ? " (never registered)" : " (" + status + ")"));
                }
            }
            if (explicitTargets ? !missing.isEmpty() : !any) {
                notRegistered.put(device, String.join(", ", missing));
            }
        }
        if (!notRegistered.isEmpty()) {
            List<String> named = new ArrayList<>();
            notRegistered.forEach((device, why) -> named.add(device + " with " + why));
            throw refused(named, "not registered: device ", "; nothing was called. Name the targets it is registered "
                    + "with (--target), or leave it out");
        }
        List<Withdrawals.Pairs> counts = new ArrayList<>();
        perTarget.forEach((target, n) -> counts.add(new Withdrawals.Pairs(target, n[0], n[1], n[2])));
        return new DeregistrationSelection(devices, counts, notes);
    }

    private static DeviceSelectionException refused(Collection<String> what, String prefix, String fix) {
        List<String> all = List.copyOf(what);
        String listed = String.join("; ", all.subList(0, Math.min(NAMED, all.size())))
                + (all.size() > NAMED ? " and " + (all.size() - NAMED) + " more" : "");
        String first = all.get(0);
        int cut = first.indexOf(" with ");
        return new DeviceSelectionException(cut < 0 ? first : first.substring(0, cut), prefix + listed + fix);
    }
}
