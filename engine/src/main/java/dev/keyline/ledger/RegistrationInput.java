package dev.keyline.ledger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What registering a device with AWS IoT needs besides its name, kept in the ledger because the bundle files are
 * shipped to the line and may be gone when registration runs (or runs again).
 *
 * @param certificateDer the device certificate
 * @param accounts       registration target names from the manifest; empty: the targets the command names
 */
public record RegistrationInput(byte[] certificateDer, Optional<String> thingType, List<String> thingGroups,
                                Map<String, String> attributes, List<String> accounts) {

    public RegistrationInput {
        Objects.requireNonNull(certificateDer, "certificateDer");
        Objects.requireNonNull(thingType, "thingType");
        thingGroups = List.copyOf(thingGroups);
        // Insertion order kept: the manifest's order is what a person reads back in the ledger.
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        accounts = List.copyOf(accounts);
    }

    @Override
    public byte[] certificateDer() {
        return certificateDer.clone();
    }
}
