package dev.keyline.aws;

import java.util.List;

/**
 * The thing groups and thing types a target's check before its first device created (both empty when all existed).
 */
public record PreparedResources(List<String> createdGroups, List<String> createdTypes) {

    public PreparedResources {
        createdGroups = List.copyOf(createdGroups);
        createdTypes = List.copyOf(createdTypes);
    }

    public boolean createdAnything() {
        return !createdGroups.isEmpty() || !createdTypes.isEmpty();
    }
}
