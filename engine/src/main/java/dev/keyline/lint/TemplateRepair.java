package dev.keyline.lint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * When a device cannot be changed, the cloud can: a template in which every reference the device cannot supply
 * resolves anyway. For each unresolved parameter, either give it a {@code Default} (when the intended value is known,
 * e.g. the {@code C=US} a CN swallowed), or stop referencing it where the reference can go without changing what the
 * template creates otherwise (an attribute of {@code AttributePayload}, a thing's type or billing group). A reference
 * that cannot go (a thing name, a part of {@code Fn::Join}) is left, and said so.
 */
public final class TemplateRepair {

    /** Thing properties that may be dropped: the thing is still created, without them. */
    private static final Set<String> OPTIONAL_THING_PROPERTIES = Set.of("ThingTypeName", "BillingGroup");

    private TemplateRepair() {
    }

    /**
     * @param corrected the repaired template, when at least one parameter was repaired
     * @param changes   what was changed, for people
     * @param left      parameters that could not be repaired, with why
     */
    public record Repair(Optional<ObjectNode> corrected, List<String> changes, List<String> left) {
    }

    /**
     * @param unresolved  the parameters that do not resolve for the device
     * @param intended    parameter name to the value it was meant to have, when known
     */
    public static Repair repair(ProvisioningTemplate template, List<String> unresolved, Map<String, String> intended) {
        ObjectNode root = template.json();
        List<String> changes = new ArrayList<>();
        List<String> left = new ArrayList<>();
        for (String name : unresolved) {
            String value = intended.get(name);
            if (value != null) {
                JsonNode parameters = root.get("Parameters");
                ObjectNode declared = parameters instanceof ObjectNode p ? p : root.putObject("Parameters");
                ObjectNode parameter = declared.get(name) instanceof ObjectNode o ? o : declared.putObject(name);
                if (!parameter.has("Type")) {
                    parameter.put("Type", "String");
                }
                parameter.put("Default", value);
                changes.add("Parameters." + name + " gets \"Default\": \"" + value + "\": every device whose certificate "
                        + "lacks it is provisioned with " + value);
                continue;
            }
            List<String> stuck = new ArrayList<>();
            List<Runnable> removals = new ArrayList<>();
            collect(root, name, new ArrayDeque<>(), removals, stuck);
            if (removals.isEmpty() && stuck.isEmpty() && template.referencedNames().contains(name)) {
                stuck.add("a Fn::Sub string");
            }
            if (!stuck.isEmpty()) {
                left.add(name + " is used at " + String.join(", ", stuck) + ", which cannot be dropped: give Parameters."
                        + name + " a \"Default\" with the value every such device should get");
                continue;
            }
            removals.forEach(Runnable::run);
            if (root.get("Parameters") instanceof ObjectNode p && p.remove(name) != null) {
                changes.add("Parameters." + name + " is no longer declared");
            }
            if (!removals.isEmpty()) {
                changes.add("the " + removals.size() + " reference(s) to " + name + " are removed (the thing is created "
                        + "without them)");
            }
        }
        return new Repair(changes.isEmpty() ? Optional.empty() : Optional.of(root), changes, left);
    }

    /** Finds each member whose value is {@code {"Ref": name}}: a removal when it may go, else its path in stuck. */
    private static void collect(JsonNode node, String name, Deque<String> keys, List<Runnable> removals, List<String> stuck) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                if (isRefTo(element, name)) {
                    stuck.add(String.join(".", keys) + "[" + i + "]");
                } else {
                    keys.addLast("[" + i + "]");
                    collect(element, name, keys, removals, stuck);
                    keys.removeLast();
                }
            }
            return;
        }
        if (!(node instanceof ObjectNode object) || keys.peekFirst() != null && keys.peekFirst().equals("Parameters")) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            String key = member.getKey();
            if (isRefTo(member.getValue(), name)) {
                if (keys.contains("AttributePayload") || OPTIONAL_THING_PROPERTIES.contains(key)
                        && keys.size() >= 3 && keys.peekLast().equals("Properties")) {
                    removals.add(() -> object.remove(key));
                } else {
                    stuck.add(keys.isEmpty() ? key : String.join(".", keys) + "." + key);
                }
            } else {
                keys.addLast(key);
                collect(member.getValue(), name, keys, removals, stuck);
                keys.removeLast();
            }
        }
    }

    private static boolean isRefTo(JsonNode node, String name) {
        return node.isObject() && node.size() == 1 && node.get("Ref") != null && node.get("Ref").isString()
                && node.get("Ref").stringValue().equals(name);
    }
}
