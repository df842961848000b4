package dev.keyline.job;

import java.util.List;

import dev.keyline.ledger.RegistrationCandidate;

/** One issued device and the targets it still has to be registered with in this run. */
record RegistrationWork(RegistrationCandidate device, List<String> targets) {

    RegistrationWork {
        targets = List.copyOf(targets);
    }
}
