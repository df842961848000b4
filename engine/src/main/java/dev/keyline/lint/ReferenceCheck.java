package dev.keyline.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * Resolves every parameter a template needs for one device, as AWS would: the device's own value first
 * ({@link ParameterSource}), then the template's Default. What does not resolve is the error AWS would answer,
 * {@code Cannot resolve reference value: {Ref=X}}. Thing names built from parameters are checked against AWS's
 * pattern with the device's values. Stateless and thread-safe.
 */
public final class ReferenceCheck {

    public static final String UNRESOLVED = "template.unresolved-reference";

    private ReferenceCheck() {
    }

    /** How one needed parameter fared. */
    public record Resolution(String parameter, String path, Optional<String> value, String from) {

        public boolean resolved() {
            return value.isPresent();
        }
    }

    /** Every needed parameter, resolved or not, in the order the template first uses them. */
    public static List<Resolution> resolve(ProvisioningTemplate template, ParameterSource source) {
        List<Resolution> out = new ArrayList<>();
        for (Map.Entry<String, String> needed : template.neededParameters().entrySet()) {
            String name = needed.getKey();
            Optional<ParameterSource.Resolved> own = source.resolve(name);
            if (own.isPresent()) {
                out.add(new Resolution(name, needed.getValue(), Optional.of(own.get().value()), own.get().from()));
                continue;
            }
            Optional<String> byDefault = template.parameter(name).flatMap(TemplateParameter::defaultValue);
            out.add(new Resolution(name, needed.getValue(), byDefault, byDefault.isPresent() ? "template Default" : "nothing"));
        }
        return out;
    }

    /** The errors this device would meet: unresolved references and thing names AWS refuses. */
    public static List<Finding> check(ProvisioningTemplate template, ParameterSource source) {
        List<Finding> findings = new ArrayList<>();
        for (Resolution r : resolve(template, source)) {
            if (!r.resolved()) {
                findings.add(Finding.error(UNRESOLVED, r.parameter(), null, AwsErrors.cannotResolve(r.parameter())
                        + " (used at " + r.path() + "): " + source.whyMissing(r.parameter()),
                        source.howToSupply(r.parameter()) + "; or give Parameters." + r.parameter() + " a \"Default\" in "
                                + template.name() + ", or stop referencing it"));
            }
        }
        for (Map.Entry<String, JsonNode> thing : template.thingNames().entrySet()) {
            Optional<String> name = TemplateExpressions.evaluate(thing.getValue(), p -> value(template, source, p));
            if (name.isPresent() && !TemplateLint.THING_NAME_PATTERN.matcher(name.get()).matches()) {
                findings.add(Finding.error(TemplateLint.THING_NAME, thing.getKey(), name.get(), AwsErrors.refused(
                        "this device's thing name would be \"" + name.get() + "\" (" + thing.getValue()
                                + "), which does not match AWS's [a-zA-Z0-9:_-]{1,128}"),
                        "build the thing name from a value of letters, digits, ':', '_' and '-' (e.g. {\"Ref\": \"ThingName\"})"));
            }
        }
        return findings;
    }

    private static Optional<String> value(ProvisioningTemplate template, ParameterSource source, String parameter) {
        return source.resolve(parameter).map(ParameterSource.Resolved::value)
                .or(() -> template.parameter(parameter).flatMap(TemplateParameter::defaultValue));
    }
}
