package dev.keyline.ledger;

import java.util.Set;

/** The distinct thing types and thing groups a set of devices names (manifest {@code thing_type}, {@code thing_groups}). */
public record ThingNames(Set<String> thingTypes, Set<String> thingGroups) {

    public ThingNames {
        thingTypes = Set.copyOf(thingTypes);
        thingGroups = Set.copyOf(thingGroups);
    }
}
