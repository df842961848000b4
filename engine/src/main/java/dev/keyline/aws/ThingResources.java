package dev.keyline.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.DescribeThingTypeResponse;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * Checks, once per target and before its first device, that the thing groups and thing types its devices use exist
 * in the target's account (DescribeThingGroup, DescribeThingType), and creates the missing ones when the target says
 * so ({@code create-thing-groups}, {@code create-thing-type}). Otherwise the first missing name stops the
 * registration with exit code 2: one clear refusal instead of the same AWS error on every device.
 * <p>
 * Calls go through the target's {@link PacedCaller}, under the same token buckets and retries as the devices'.
 */
final class ThingResources {

    private final RegistrationTarget target;
    private final IotClient iot;
    private final PacedCaller caller;

    ThingResources(RegistrationTarget target, IotClient iot, PacedCaller caller) {
        this.target = Objects.requireNonNull(target, "target");
        this.iot = Objects.requireNonNull(iot, "iot");
        this.caller = Objects.requireNonNull(caller, "caller");
    }

    /**
     * @param groups the thing groups the target's devices name (those the target applies: see {@link Registrar#prepare})
     * @param types  the thing types its devices use
     * @throws ThingResourceException a missing group or type the target does not create (CONFIGURATION), or a failed call
     */
    PreparedResources prepare(Collection<String> groups, Collection<String> types) throws InterruptedException {
        List<String> createdTypes = new ArrayList<>();
        for (String type : new TreeSet<>(types)) {
            if (!typeExists(type)) {
                if (!target.createThingType()) {
                    throw ThingResourceException.missing("target " + target.name() + ": thing type " + type
                            + " does not exist in the account (DescribeThingType: not found), and devices use it. Nothing was "
                            + "registered with this target. Create the type (aws iot create-thing-type --thing-type-name " + type
                            + "), or set keyline.targets." + target.name() + ".create-thing-type: true, or correct thing_type"
                            + (target.thingType().isPresent() ? " / the target's thing-type" : ""));
                }
                call(IotOperation.CREATE_THING_TYPE, "thing type " + type, () -> {
                    try {
                        return iot.createThingType(r -> r.thingTypeName(type));
                    } catch (ResourceAlreadyExistsException e) {
                        return null; // made in the meantime, by someone else: it exists, which is all we need
                    }
                });
                createdTypes.add(type);
            }
        }
        List<String> createdGroups = new ArrayList<>();
        for (String group : new TreeSet<>(groups)) {
            if (!groupExists(group)) {
                if (!target.createThingGroups()) {
                    throw ThingResourceException.missing("target " + target.name() + ": thing group " + group
                            + " does not exist in the account (DescribeThingGroup: not found), and devices name it in "
                            + "thing_groups. Nothing was registered with this target. Create the group (aws iot "
                            + "create-thing-group --thing-group-name " + group + "), or set keyline.targets." + target.name()
                            + ".create-thing-groups: true, or correct thing_groups");
                }
                call(IotOperation.CREATE_THING_GROUP, "thing group " + group, () -> {
                    try {
                        return iot.createThingGroup(r -> r.thingGroupName(group));
                    } catch (ResourceAlreadyExistsException e) {
                        return null; // exists with other properties, or made in the meantime: it exists
                    }
                });
                createdGroups.add(group);
            }
        }
        return new PreparedResources(createdGroups, createdTypes);
    }

    private boolean typeExists(String type) throws InterruptedException {
        try {
            DescribeThingTypeResponse described = caller.call(IotOperation.DESCRIBE_THING_TYPE,
                    () -> iot.describeThingType(r -> r.thingTypeName(type)));
            if (described.thingTypeMetadata() != null && Boolean.TRUE.equals(described.thingTypeMetadata().deprecated())) {
                // CreateThing refuses a deprecated type: the same refusal on every device, so say it once.
                throw ThingResourceException.missing("target " + target.name() + ": thing type " + type
                        + " is deprecated in the account, and devices use it; AWS IoT creates no thing of a deprecated type. "
                        + "Nothing was registered with this target. Undeprecate it (aws iot deprecate-thing-type "
                        + "--thing-type-name " + type + " --undo-deprecate) or correct thing_type");
            }
            return true;
        } catch (AwsCallFailedException e) {
            if (e.sdkException() instanceof ResourceNotFoundException) {
                return false;
            }
            throw failed("thing type " + type, e);
        }
    }

    private boolean groupExists(String group) throws InterruptedException {
        try {
            caller.call(IotOperation.DESCRIBE_THING_GROUP, () -> iot.describeThingGroup(r -> r.thingGroupName(group)));
            return true;
        } catch (AwsCallFailedException e) {
            if (e.sdkException() instanceof ResourceNotFoundException) {
                return false;
            }
            throw failed("thing group " + group, e);
        }
    }

    private <T> void call(IotOperation operation, String what, java.util.function.Supplier<T> request) throws InterruptedException {
        try {
            caller.call(operation, request);
        } catch (AwsCallFailedException e) {
            throw failed(what, e);
        }
    }

    private ThingResourceException failed(String what, AwsCallFailedException e) {
        return ThingResourceException.failed("target " + target.name() + ": checking or creating " + what + " failed: "
                + e.operation().awsName() + ": " + e.error().code() + ": " + e.error().message()
                + ". Nothing was registered with this target", e.error().retryable(), e);
    }
}
