package dev.keyline.aws;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A provisioning template body as RegisterThing takes it, read once so that each device is sent exactly the
 * parameters the template declares (AWS resolves {@code {"Ref": name}} from them, else from the declared default).
 * Immutable and thread-safe.
 */
public final class ProvisioningTemplate {

    /** RegisterThing's limit on {@code templateBody}. */
    public static final int MAX_BODY_LENGTH = 10_240;

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final String body;
    /** Declared parameter -> its Default, when it has one (LinkedHashMap: the template's order). */
    private final Map<String, Optional<String>> parameters;

    private ProvisioningTemplate(String body, Map<String, Optional<String>> parameters) {
        this.body = body;
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    /**
     * @throws IllegalArgumentException when the body is longer than AWS accepts, not JSON, or has no
     *                                  {@code Resources} object
     */
    public static ProvisioningTemplate parse(String body) {
        Objects.requireNonNull(body, "body");
        if (body.length() > MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("the provisioning template is " + body.length()
                    + " characters; RegisterThing accepts at most " + MAX_BODY_LENGTH + ": shorten it");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the provisioning template is not well-formed JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("Resources").isObject()) {
            throw new IllegalArgumentException("the provisioning template has no \"Resources\" object: "
                    + "a template is {\"Parameters\": {...}, \"Resources\": {...}}");
        }
        Map<String, Optional<String>> parameters = new LinkedHashMap<>();
        JsonNode declared = root.path("Parameters");
        if (declared.isObject()) {
            for (Map.Entry<String, JsonNode> p : declared.properties()) {
                JsonNode def = p.getValue().get("Default");
                parameters.put(p.getKey(), def == null || def.isNull() ? Optional.empty() : Optional.of(def.asString()));
            }
        }
        return new ProvisioningTemplate(body, parameters);
    }

    public String body() {
        return body;
    }

    /** The declared parameters, in template order, each with its default if it has one. */
    public Map<String, Optional<String>> parameters() {
        return parameters;
    }

    /**
     * The RegisterThing {@code parameters} for one device: of {@code available}, those the template declares.
     * A declared parameter with neither a value nor a default is left out: AWS then answers with its own
     * "Cannot resolve reference value" error, which names the parameter and is recorded as the device's reason.
     */
    public Map<String, String> parametersFor(Map<String, String> available) {
        Map<String, String> chosen = new LinkedHashMap<>();
        for (String name : parameters.keySet()) {
            String value = available.get(name);
            if (value != null) {
                chosen.put(name, value);
            }
        }
        return chosen;
    }

    @Override
    public String toString() {
        return "ProvisioningTemplate" + parameters.keySet();
    }
}
