package dev.keyline.job;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keyline.aws.PreparedResources;
import dev.keyline.aws.Registrar;
import dev.keyline.aws.Registrars;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.PendingRegistrations;
import dev.keyline.ledger.ThingNames;

/**
 * Before the first device of a registration: for each target, the thing types and thing groups of the devices
 * still to register with it (read from the ledger as distinct values) must exist in its account, or be created when
 * the target says so ({@link Registrar#prepare}). A missing one stops the registration with a
 * {@link dev.keyline.aws.ThingResourceException} naming it, before any device is registered with any target.
 */
final class ThingResourceCheck {

    private static final Logger log = LoggerFactory.getLogger(ThingResourceCheck.class);

    private ThingResourceCheck() {
    }

    /**
     * Checks (and creates) with registrars opened for the purpose, then closed.
     *
     * @return one line per target that created something, for the command's output
     */
    static List<String> prepare(Ledger ledger, String outputId, RegistrationRequest request, Optional<Path> ca)
            throws InterruptedException {
        Optional<Registrars> opened = RegistrationTargets.open(request, ca);
        if (opened.isEmpty()) {
            return List.of();
        }
        try (Registrars registrars = opened.get()) {
            return prepare(ledger, outputId, registrars);
        }
    }

    static List<String> prepare(Ledger ledger, String outputId, Registrars registrars) throws InterruptedException {
        List<String> created = new ArrayList<>();
        for (Registrar registrar : registrars.byTarget().values()) {
            String target = registrar.target().name();
            if (!registrar.appliesThingGroups() && !registrar.appliesThingTypes()) {
                continue; // nothing to look up: no query over the output either
            }
            PendingRegistrations pending = ledger.pendingRegistrations();
            ThingNames names = pending.pendingThingNames(outputId, target);
            if (names.thingGroups().isEmpty() && names.thingTypes().isEmpty() && (registrar.target().thingType().isEmpty()
                    || pending.countPendingRegistrations(outputId, target, true) == 0)) {
                continue; // nothing pending uses a group or a type (a second registration of a registered output)
            }
            PreparedResources prepared = registrar.prepare(names.thingGroups(), names.thingTypes());
            if (prepared.createdAnything()) {
                String line = "target " + target + ": created" + (prepared.createdTypes().isEmpty() ? ""
                        : " thing type(s) " + String.join(", ", prepared.createdTypes()))
                        + (prepared.createdGroups().isEmpty() ? "" : " thing group(s) " + String.join(", ", prepared.createdGroups()));
                log.info("{}", line);
                created.add(line);
            }
        }
        return created;
    }
}
