package dev.keyline.aws.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * RegisterThing: resolves {@code {"Ref": name}} (and {@code Fn::Join}) from the request's parameters, then the
 * template's defaults, failing as AWS does ("Invalid registration template. Cannot resolve reference value:
 * {Ref=name}"), then creates or reuses the certificate, thing and policy attachments in one step.
 * Reuse of an existing certificate or thing (a repeated call) is this emulator's assumption: AWS's exact
 * behaviour for a repeat is not documented in the fact sheet.
 */
final class TemplateRegistration {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private TemplateRegistration() {
    }

    static Map<String, Object> register(EmulatorAccount account, String templateBody, Map<String, String> parameters) {
        if (templateBody == null || templateBody.isEmpty()) {
            throw IotError.invalidRequest("templateBody is required");
        }
        JsonNode template;
        try {
            template = JSON.readTree(templateBody);
        } catch (JacksonException e) {
            throw IotError.invalidRequest("Invalid registration template. Template format error: JSON not well-formed. " + e.getOriginalMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        template.path("Parameters").properties().forEach(p -> {
            String given = parameters.get(p.getKey());
            JsonNode def = p.getValue().get("Default");
            if (given != null) {
                values.put(p.getKey(), given);
            } else if (def != null && !def.isNull()) {
                values.put(p.getKey(), def.asString());
            }
        });
        // Resolve every property first: a template that cannot be resolved creates nothing.
        Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> resource : template.path("Resources").properties()) {
            types.put(resource.getKey(), resource.getValue().path("Type").asString());
            Map<String, Object> properties = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> p : resource.getValue().path("Properties").properties()) {
                properties.put(p.getKey(), resolve(p.getValue(), values));
            }
            resources.put(resource.getKey(), properties);
        }
        synchronized (account) {
            Map<String, Object> arns = new LinkedHashMap<>();
            String certificateArn = null;
            String certificatePem = null;
            String thingName = null;
            for (var e : resources.entrySet()) {
                Map<String, Object> p = e.getValue();
                switch (types.get(e.getKey())) {
                    case "AWS::IoT::Certificate" -> {
                        EmulatorAccount.Cert cert = certificate(account, p);
                        certificateArn = cert.arn();
                        certificatePem = cert.pem();
                        arns.put("certificate", certificateArn);
                    }
                    case "AWS::IoT::Thing" -> {
                        thingName = (String) p.get("ThingName");
                        @SuppressWarnings("unchecked")
                        Map<String, String> attributes = p.get("AttributePayload") instanceof Map<?, ?> m
                                ? (Map<String, String>) m : Map.of();
                        Optional<String> type = Optional.ofNullable((String) p.get("ThingTypeName"));
                        List<String> groups = groups(p.get("ThingGroups"));
                        for (String group : groups) {
                            if (!account.hasThingGroup(group)) {
                                throw new IotError(400, "ResourceRegistrationFailureException", "Thing Group " + group + " not found.");
                            }
                        }
                        EmulatorAccount.Thing thing = account.thing(thingName)
                                .orElseGet(() -> account.createThing((String) p.get("ThingName"), type, attributes));
                        for (String group : groups) {
                            account.addThingToThingGroup(group, thing.name());
                        }
                        arns.put("thing", thing.arn());
                    }
                    case "AWS::IoT::Policy" -> {
                        String policy = (String) p.get("PolicyName");
                        if (policy == null || !account.hasPolicy(policy)) {
                            throw new IotError(400, "ResourceRegistrationFailureException", "Policy " + policy + " does not exist");
                        }
                        arns.put(e.getKey(), account.policyArn(policy));
                    }
                    default -> throw IotError.invalidRequest("Invalid registration template. Unsupported resource type: " + types.get(e.getKey()));
                }
            }
            if (certificateArn != null) {
                for (var e : resources.entrySet()) {
                    if ("AWS::IoT::Policy".equals(types.get(e.getKey()))) {
                        account.attachPolicy((String) e.getValue().get("PolicyName"), certificateArn);
                    }
                }
                if (thingName != null) {
                    account.attachThingPrincipal(thingName, certificateArn);
                }
            }
            Map<String, Object> response = new LinkedHashMap<>();
            if (certificatePem != null) {
                response.put("certificatePem", certificatePem);
            }
            response.put("resourceArns", arns);
            return response;
        }
    }

    /** ThingGroups: a list of names (a literal list, or Fn::Split of a parameter); a single name is a list of one. */
    private static List<String> groups(Object property) {
        if (property == null) {
            return List.of();
        }
        if (property instanceof List<?> list) {
            List<String> groups = new java.util.ArrayList<>();
            for (Object item : list) {
                if (item instanceof List<?> nested) {
                    nested.forEach(n -> groups.add(String.valueOf(n)));
                } else {
                    groups.add(String.valueOf(item));
                }
            }
            return groups;
        }
        return List.of(String.valueOf(property));
    }

    private static EmulatorAccount.Cert certificate(EmulatorAccount account, Map<String, Object> p) {
        String status = Optional.ofNullable((String) p.get("Status")).orElse("ACTIVE");
        if (p.get("CertificateId") instanceof String id) {
            return account.certificate(id).orElseThrow(() ->
                    new IotError(400, "ResourceRegistrationFailureException", "Certificate " + id + " does not exist"));
        }
        String pem = (String) p.get("CertificatePem");
        if (pem == null) {
            throw IotError.invalidRequest("Invalid registration template. AWS::IoT::Certificate needs CertificatePem or CertificateId");
        }
        String id = EmulatorAccount.idOf(EmulatorAccount.parse(pem, "certificate"));
        Optional<EmulatorAccount.Cert> existing = account.certificate(id);
        if (existing.isPresent()) {
            return existing.get();
        }
        String caPem = (String) p.get("CACertificatePem");
        return caPem == null ? account.registerCertificateWithoutCa(pem, status) : account.registerCertificate(pem, caPem, status);
    }

    private static Object resolve(JsonNode node, Map<String, String> values) {
        if (node.isObject() && node.has("Ref") && node.size() == 1) {
            String name = node.get("Ref").asString();
            String value = values.get(name);
            if (value == null) {
                throw IotError.invalidRequest("Invalid registration template. Cannot resolve reference value: {Ref=" + name + "}");
            }
            return value;
        }
        if (node.isObject() && node.has("Fn::Join") && node.size() == 1) {
            JsonNode args = node.get("Fn::Join");
            java.util.StringJoiner joined = new java.util.StringJoiner(args.get(0).asString());
            for (JsonNode part : args.get(1)) {
                joined.add(String.valueOf(resolve(part, values)));
            }
            return joined.toString();
        }
        if (node.isObject() && node.has("Fn::Split") && node.size() == 1) {
            JsonNode args = node.get("Fn::Split");
            String source = String.valueOf(resolve(args.get(1), values));
            java.util.List<Object> parts = new java.util.ArrayList<>();
            for (String part : source.split(java.util.regex.Pattern.quote(args.get(0).asString()), -1)) {
                parts.add(part);
            }
            return parts;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(p -> map.put(p.getKey(), resolve(p.getValue(), values)));
            return map;
        }
        if (node.isArray()) {
            java.util.List<Object> list = new java.util.ArrayList<>();
            node.forEach(n -> list.add(resolve(n, values)));
            return list;
        }
        return node.isNull() ? null : node.asString();
    }
}
