package dev.keyline.lint;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a provisioning template's {@code Parameters}: {@code {"Type": "String", "Default": ...}}.
 *
 * @param name         e.g. {@code ThingName} or {@code AWS::IoT::Certificate::Country}
 * @param defaultValue the {@code Default}, used when neither the certificate nor the request supplies a value
 */
public record TemplateParameter(String name, Optional<String> defaultValue) {

    public TemplateParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
    }
}
