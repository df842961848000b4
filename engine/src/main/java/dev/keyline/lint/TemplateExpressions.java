package dev.keyline.lint;

import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Evaluates the template expressions a thing name is built from: a literal, {@code {"Ref": X}},
 * {@code {"Fn::Join": [sep, [parts]]}} and {@code {"Fn::Sub": "a-${X}"}}. Anything else (or a part that does not
 * resolve; that is reported as an unresolved reference) gives no value, and the name is not checked.
 */
final class TemplateExpressions {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(!?)([^}]+)}");

    private TemplateExpressions() {
    }

    static Optional<String> evaluate(JsonNode node, Function<String, Optional<String>> parameters) {
        if (node.isString()) {
            return Optional.of(node.stringValue());
        }
        if (!node.isObject() || node.size() != 1) {
            return Optional.empty();
        }
        JsonNode ref = node.get("Ref");
        if (ref != null && ref.isString()) {
            return parameters.apply(ref.stringValue());
        }
        JsonNode join = node.get("Fn::Join");
        if (join != null && join.isArray() && join.size() == 2 && join.get(0).isString() && join.get(1).isArray()) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < join.get(1).size(); i++) {
                Optional<String> part = evaluate(join.get(1).get(i), parameters);
                if (part.isEmpty()) {
                    return Optional.empty();
                }
                out.append(i == 0 ? "" : join.get(0).stringValue()).append(part.get());
            }
            return Optional.of(out.toString());
        }
        JsonNode sub = node.get("Fn::Sub");
        if (sub != null && sub.isString()) {
            Matcher m = SUB_VARIABLE.matcher(sub.stringValue());
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                if (!m.group(1).isEmpty()) {
                    m.appendReplacement(out, Matcher.quoteReplacement("${" + m.group(2) + "}"));
                    continue;
                }
                Optional<String> v = parameters.apply(m.group(2));
                if (v.isEmpty()) {
                    return Optional.empty();
                }
                m.appendReplacement(out, Matcher.quoteReplacement(v.get()));
            }
            m.appendTail(out);
            return Optional.of(out.toString());
        }
        return Optional.empty();
    }
}
