package dev.keyline.lint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a provisioning template as AWS IoT would before any device meets it (reference/aws-iot.md section 5): JSON
 * that parses, at most 10,240 characters, {@code Parameters} and {@code Resources} of the known shapes, the three
 * resource types with their known properties, {@code OverrideSettings} values, the exactly-one-of rules of
 * certificates and policies, literal thing names against AWS's pattern, and every parameter reference (found by
 * walking all nested objects and arrays, including {@code ${X}} inside {@code Fn::Sub}).
 * Stateless and thread-safe.
 */
public final class TemplateLint {

    public static final String JSON = "template.json";
    public static final String SIZE = "template.size";
    public static final String STRUCTURE = "template.structure";
    public static final String RESOURCE_TYPE = "template.resource-type";
    public static final String PROPERTY = "template.property";
    public static final String OVERRIDE_SETTINGS = "template.override-settings";
    public static final String CERTIFICATE_SOURCE = "template.certificate-source";
    public static final String POLICY = "template.policy";
    public static final String PARAMETER = "template.parameter";
    public static final String UNDECLARED_PARAMETER = "template.undeclared-parameter";
    public static final String THING_NAME = "template.thing-name";

    /** AWS IoT's thing-name pattern (reference/aws-iot.md section 3). */
    public static final Pattern THING_NAME_PATTERN = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");

    static final String THING = "AWS::IoT::Thing";
    static final String CERTIFICATE = "AWS::IoT::Certificate";
    static final String POLICY_TYPE = "AWS::IoT::Policy";

    private static final Map<String, Set<String>> PROPERTIES = Map.of(
            THING, Set.of("ThingName", "AttributePayload", "ThingTypeName", "ThingGroups", "BillingGroup"),
            CERTIFICATE, Set.of("CertificateSigningRequest", "CertificateId", "CertificatePem", "CACertificatePem", "Status"),
            POLICY_TYPE, Set.of("PolicyName", "PolicyDocument"));
    private static final Set<String> OVERRIDE_VALUES = Set.of("DO_NOTHING", "REPLACE", "FAIL", "MERGE");
    private static final Set<String> MERGEABLE = Set.of("ThingGroups", "AttributePayload");
    private static final List<String> CERTIFICATE_SOURCES = List.of("CertificateSigningRequest", "CertificateId", "CertificatePem");
    /** Sections beyond Parameters and Resources that AWS templates carry (fleet provisioning's DeviceConfiguration). */
    private static final Set<String> TOP_LEVEL = Set.of("Parameters", "Resources", "DeviceConfiguration", "Mappings",
            "Conditions");
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(?!!)([^}]+)}");

    static final ObjectMapper MAPPER = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private TemplateLint() {
    }

    /** Reads and checks a template file. */
    public static TemplateCheck check(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new TemplateCheck(Optional.empty(), List.of(Finding.error(JSON, null, file.toString(),
                    "cannot read the template " + file + ": " + e.getMessage(), "give the path of a readable JSON file")));
        }
        return check(file.toString(), text);
    }

    /** Checks template text; {@code name} says where it came from. */
    public static TemplateCheck check(String name, String text) {
        List<Finding> findings = new ArrayList<>();
        JsonNode tree;
        try {
            tree = MAPPER.readTree(text);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            findings.add(Finding.error(JSON, null, null, AwsErrors.notWellFormed() + " " + name + where + ": "
                    + e.getOriginalMessage(), "correct the JSON (a validator such as `jq . " + name + "` points at it)"));
            return new TemplateCheck(Optional.empty(), findings);
        }
        if (tree == null || !tree.isObject()) {
            findings.add(Finding.error(JSON, null, null, AwsErrors.notWellFormed() + " " + name
                    + " is not a JSON object", "the template is one object with Parameters and Resources"));
            return new TemplateCheck(Optional.empty(), findings);
        }
        ObjectNode root = (ObjectNode) tree;
        size(text, root, findings);
        for (String key : root.propertyNames()) {
            if (!TOP_LEVEL.contains(key)) {
                findings.add(Finding.warning(STRUCTURE, key, null, "unknown top-level section \"" + key + "\" in " + name,
                        "a provisioning template has Parameters and Resources (and DeviceConfiguration for fleet provisioning)"));
            }
        }
        Map<String, TemplateParameter> parameters = parameters(root.get("Parameters"), findings);
        Map<String, JsonNode> thingNames = new LinkedHashMap<>();
        resources(root.get("Resources"), findings, thingNames);
        List<TemplateReference> references = new ArrayList<>();
        walk(root, "", references, findings);
        for (TemplateReference r : references) {
            if (!parameters.containsKey(r.parameter()) && !r.parameter().equals(CertificateParameter.ID.parameterName())
                    && references.stream().filter(o -> o.parameter().equals(r.parameter())).findFirst().get() == r) {
                findings.add(Finding.warning(UNDECLARED_PARAMETER, r.path(), r.parameter(), "the template references \""
                        + r.parameter() + "\" at " + r.path() + " without declaring it in Parameters",
                        "declare it: \"Parameters\": {\"" + r.parameter() + "\": {\"Type\": \"String\"}}"));
            }
        }
        return new TemplateCheck(Optional.of(new ProvisioningTemplate(name, root, parameters, references, thingNames)),
                findings);
    }

    private static void size(String text, ObjectNode root, List<Finding> findings) {
        int characters = text.codePointCount(0, text.length());
        if (characters <= ProvisioningTemplate.MAX_CHARACTERS) {
            return;
        }
        int compact = MAPPER.writeValueAsString(root).length();
        String fix = compact <= ProvisioningTemplate.MAX_CHARACTERS
                ? "send it without whitespace: minified (e.g. `jq -c .`) it is " + compact + " characters"
                : "shorten it: even minified it is " + compact + " characters (move policy documents into named policies "
                        + "with PolicyName)";
        findings.add(Finding.error(SIZE, null, Integer.toString(characters), AwsErrors.refused("the template is "
                + characters + " characters long; templateBody allows at most " + ProvisioningTemplate.MAX_CHARACTERS), fix));
    }

    private static Map<String, TemplateParameter> parameters(JsonNode node, List<Finding> findings) {
        Map<String, TemplateParameter> parameters = new LinkedHashMap<>();
        if (node == null) {
            return parameters;
        }
        if (!node.isObject()) {
            findings.add(Finding.error(STRUCTURE, "Parameters", null, AwsErrors.refused("Parameters is not an object"),
                    "write \"Parameters\": {\"Name\": {\"Type\": \"String\"}}"));
            return parameters;
        }
        for (Map.Entry<String, JsonNode> p : node.properties()) {
            String name = p.getKey();
            JsonNode spec = p.getValue();
            String path = "Parameters." + name;
            if (!spec.isObject()) {
                findings.add(Finding.error(PARAMETER, path, null, AwsErrors.refused(path + " is not an object"),
                        "write \"" + name + "\": {\"Type\": \"String\"}"));
                continue;
            }
            JsonNode type = spec.get("Type");
            if (type == null || !type.isString() || !type.stringValue().equals("String")) {
                findings.add(Finding.warning(PARAMETER, path + ".Type", type == null ? null : type.toString(),
                        path + " has Type " + (type == null ? "missing" : type.toString())
                                + "; the developer guide documents only \"String\"", "write \"Type\": \"String\""));
            }
            Optional<String> defaultValue = Optional.empty();
            JsonNode d = spec.get("Default");
            if (d != null) {
                if (d.isString()) {
                    defaultValue = Optional.of(d.stringValue());
                } else {
                    findings.add(Finding.error(PARAMETER, path + ".Default", d.toString(),
                            AwsErrors.refused(path + ".Default is not a string"), "quote it: \"Default\": \"" + d.asString() + "\""));
                }
            }
            parameters.put(name, new TemplateParameter(name, defaultValue));
        }
        return parameters;
    }

    private static void resources(JsonNode node, List<Finding> findings, Map<String, JsonNode> thingNames) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            findings.add(Finding.error(STRUCTURE, "Resources", null, AwsErrors.refused("the template has no Resources"),
                    "add Resources, e.g. an AWS::IoT::Thing and an AWS::IoT::Certificate"));
            return;
        }
        for (Map.Entry<String, JsonNode> r : node.properties()) {
            String path = "Resources." + r.getKey();
            JsonNode resource = r.getValue();
            JsonNode typeNode = resource.get("Type");
            if (!resource.isObject() || typeNode == null || !typeNode.isString()) {
                findings.add(Finding.error(RESOURCE_TYPE, path, null, AwsErrors.refused(path + " has no Type"),
                        "give it \"Type\": one of " + String.join(", ", PROPERTIES.keySet().stream().sorted().toList())));
                continue;
            }
            String type = typeNode.stringValue();
            Set<String> known = PROPERTIES.get(type);
            if (known == null) {
                findings.add(Finding.error(RESOURCE_TYPE, path + ".Type", type, AwsErrors.refused(path + " has the unknown "
                        + "resource type \"" + type + "\""), "use one of " + String.join(", ",
                        PROPERTIES.keySet().stream().sorted().toList())));
                continue;
            }
            for (String key : resource.propertyNames()) {
                if (!Set.of("Type", "Properties", "OverrideSettings").contains(key)) {
                    findings.add(Finding.warning(STRUCTURE, path + "." + key, null, path + " has the unknown key \"" + key
                            + "\"", "a resource has Type, Properties and OverrideSettings only"));
                }
            }
            JsonNode properties = resource.get("Properties");
            if (properties != null && !properties.isObject()) {
                findings.add(Finding.error(PROPERTY, path + ".Properties", null, AwsErrors.refused(path
                        + ".Properties is not an object"), "write \"Properties\": {...}"));
                continue;
            }
            Set<String> present = properties == null ? Set.of() : Set.copyOf(properties.propertyNames());
            for (String property : present) {
                if (!known.contains(property)) {
                    findings.add(Finding.error(PROPERTY, path + ".Properties." + property, property, AwsErrors.refused(
                            type + " has no property \"" + property + "\""), "use one of " + String.join(", ",
                            known.stream().sorted().toList())));
                }
            }
            overrideSettings(path, type, known, resource.get("OverrideSettings"), findings);
            switch (type) {
                case CERTIFICATE -> certificate(path, present, findings);
                case POLICY_TYPE -> policy(path, properties, present, findings);
                default -> thing(path, properties, findings, thingNames);
            }
        }
    }

    private static void overrideSettings(String path, String type, Set<String> known, JsonNode settings,
                                         List<Finding> findings) {
        if (settings == null) {
            return;
        }
        if (!settings.isObject()) {
            findings.add(Finding.error(OVERRIDE_SETTINGS, path + ".OverrideSettings", null, AwsErrors.refused(path
                    + ".OverrideSettings is not an object"), "write \"OverrideSettings\": {\"ThingName\": \"REPLACE\"}"));
            return;
        }
        for (Map.Entry<String, JsonNode> s : settings.properties()) {
            String where = path + ".OverrideSettings." + s.getKey();
            String value = s.getValue().isString() ? s.getValue().stringValue() : s.getValue().toString();
            if (!known.contains(s.getKey())) {
                findings.add(Finding.error(OVERRIDE_SETTINGS, where, s.getKey(), AwsErrors.refused(type
                        + " has no property \"" + s.getKey() + "\" to override"), "name one of its properties"));
            } else if (!OVERRIDE_VALUES.contains(value)) {
                findings.add(Finding.error(OVERRIDE_SETTINGS, where, value, AwsErrors.refused(where + " is \"" + value
                        + "\""), "use DO_NOTHING, REPLACE, FAIL or MERGE"));
            } else if (value.equals("MERGE") && !MERGEABLE.contains(s.getKey())) {
                findings.add(Finding.error(OVERRIDE_SETTINGS, where, value, AwsErrors.refused("MERGE applies to ThingGroups "
                        + "and AttributePayload only, not " + s.getKey()), "use DO_NOTHING, REPLACE or FAIL"));
            }
        }
    }

    private static void certificate(String path, Set<String> present, List<Finding> findings) {
        List<String> sources = CERTIFICATE_SOURCES.stream().filter(present::contains).toList();
        if (sources.size() != 1) {
            findings.add(Finding.error(CERTIFICATE_SOURCE, path + ".Properties", String.join(",", sources),
                    AwsErrors.refused(path + " gives " + (sources.isEmpty() ? "none" : String.join(" and ", sources))
                            + " of CertificateSigningRequest, CertificateId, CertificatePem; exactly one is required"),
                    "keep exactly one (JITP templates use \"CertificateId\": {\"Ref\": \"AWS::IoT::Certificate::Id\"})"));
        }
        if (present.contains("CACertificatePem") && !present.contains("CertificatePem")) {
            findings.add(Finding.error(CERTIFICATE_SOURCE, path + ".Properties.CACertificatePem", null,
                    AwsErrors.refused("CACertificatePem goes only with CertificatePem"),
                    "remove CACertificatePem, or give the device certificate as CertificatePem"));
        }
    }

    private static void policy(String path, JsonNode properties, Set<String> present, List<Finding> findings) {
        boolean named = present.contains("PolicyName");
        boolean document = present.contains("PolicyDocument");
        if (named == document) {
            findings.add(Finding.error(POLICY, path + ".Properties", null, AwsErrors.refused(path + " gives "
                    + (named ? "both PolicyName and PolicyDocument" : "neither PolicyName nor PolicyDocument")),
                    "give exactly one: the name of an existing policy, or the policy document"));
        }
        if (document && !properties.get("PolicyDocument").isString()) {
            findings.add(Finding.error(POLICY, path + ".Properties.PolicyDocument", null, AwsErrors.refused(
                    "PolicyDocument is a JSON object; AWS expects the policy as an escaped JSON string"),
                    "write the policy as one string: \"PolicyDocument\": \"{\\\"Version\\\": \\\"2012-10-17\\\", ...}\""));
        }
    }

    private static void thing(String path, JsonNode properties, List<Finding> findings, Map<String, JsonNode> thingNames) {
        JsonNode name = properties == null ? null : properties.get("ThingName");
        if (name == null) {
            return;
        }
        String where = path + ".Properties.ThingName";
        if (name.isString() && !THING_NAME_PATTERN.matcher(name.stringValue()).matches()) {
            findings.add(Finding.error(THING_NAME, where, name.stringValue(), AwsErrors.refused("the thing name \""
                    + name.stringValue() + "\" does not match [a-zA-Z0-9:_-]{1,128}"),
                    "use 1-128 letters, digits, ':', '_' or '-'"));
        }
        thingNames.put(where, name);
    }

    /** Finds every Ref (and Fn::Sub variable) in document order. */
    private static void walk(JsonNode node, String path, List<TemplateReference> out, List<Finding> findings) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", out, findings);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String here = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            JsonNode value = e.getValue();
            if (e.getKey().equals("Ref") && !path.startsWith("Parameters")) {
                if (value.isString()) {
                    out.add(new TemplateReference(value.stringValue(), path));
                } else {
                    findings.add(Finding.error(STRUCTURE, here, value.toString(), AwsErrors.refused(here
                            + " is not a parameter name"), "write {\"Ref\": \"ParameterName\"}"));
                }
            } else if (e.getKey().equals("Fn::Sub")) {
                JsonNode text = value.isArray() && !value.isEmpty() ? value.get(0) : value;
                Set<String> local = value.isArray() && value.size() > 1 && value.get(1).isObject()
                        ? Set.copyOf(value.get(1).propertyNames()) : Set.of();
                if (text.isString()) {
                    Matcher m = SUB_VARIABLE.matcher(text.stringValue());
                    while (m.find()) {
                        if (!local.contains(m.group(1))) {
                            out.add(new TemplateReference(m.group(1), here));
                        }
                    }
                }
                if (value.isArray() && value.size() > 1) {
                    walk(value.get(1), here + "[1]", out, findings);
                }
            } else {
                walk(value, here, out, findings);
            }
        }
    }
}
