package dev.keyline.lint;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A provisioning template (JITP, RegisterThing or bulk registration, as AWS IoT defines them) that parsed: its
 * declared parameters, every place it references a parameter, and the thing-name expressions to evaluate per device.
 * Made by {@link TemplateLint}; immutable (the JSON tree is copied out, never handed over).
 */
public final class ProvisioningTemplate {

    /** AWS's limit on {@code templateBody}, in characters (RegisterThing, CreateProvisioningTemplate). */
    public static final int MAX_CHARACTERS = 10_240;

    private final String name;
    private final ObjectNode root;
    private final Map<String, TemplateParameter> parameters;
    private final List<TemplateReference> references;
    private final Map<String, JsonNode> thingNames;

    ProvisioningTemplate(String name, ObjectNode root, Map<String, TemplateParameter> parameters,
                         List<TemplateReference> references, Map<String, JsonNode> thingNames) {
        this.name = Objects.requireNonNull(name, "name");
        this.root = root.deepCopy();
        this.parameters = Map.copyOf(parameters);
        this.references = List.copyOf(references);
        this.thingNames = Map.copyOf(thingNames);
    }

    /** The file it came from, for messages. */
    public String name() {
        return name;
    }

    /** A copy of the template's JSON, e.g. to print a corrected version. */
    public ObjectNode json() {
        return root.deepCopy();
    }

    public Optional<TemplateParameter> parameter(String parameterName) {
        return Optional.ofNullable(parameters.get(parameterName));
    }

    public Map<String, TemplateParameter> parameters() {
        return parameters;
    }

    /** Every reference in document order; a parameter used twice appears twice. */
    public List<TemplateReference> references() {
        return references;
    }

    /** Thing-name expressions by their path: a literal, a Ref, Fn::Join or Fn::Sub. */
    public Map<String, JsonNode> thingNames() {
        return thingNames;
    }

    /**
     * The parameters a device must be able to supply, first path of use for each: every referenced one, plus the
     * {@code AWS::IoT::Certificate::*} ones declared without a Default, which AWS requires in the certificate even
     * unreferenced ("every declared parameter must be present", jit-provisioning.md).
     */
    public Map<String, String> neededParameters() {
        Map<String, String> needed = new LinkedHashMap<>();
        for (TemplateReference r : references) {
            needed.putIfAbsent(r.parameter(), r.path());
        }
        for (TemplateParameter p : parameters.values()) {
            if (p.defaultValue().isEmpty() && CertificateParameter.fromParameterName(p.name()).isPresent()) {
                needed.putIfAbsent(p.name(), "Parameters." + p.name());
            }
        }
        return needed;
    }

    /** The names referenced anywhere. */
    public Set<String> referencedNames() {
        Set<String> names = new LinkedHashSet<>();
        references.forEach(r -> names.add(r.parameter()));
        return names;
    }
}
