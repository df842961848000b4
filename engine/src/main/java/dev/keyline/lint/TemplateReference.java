package dev.keyline.lint;

import java.util.Objects;

/**
 * A place where a template uses a parameter: {@code {"Ref": "X"}}, or {@code ${X}} inside {@code Fn::Sub}.
 *
 * @param parameter the parameter name
 * @param path      where in the template, e.g. {@code Resources.thing.Properties.AttributePayload.country}
 */
public record TemplateReference(String parameter, String path) {

    public TemplateReference {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(path, "path");
    }
}
