package dev.keyline.lint;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link TemplateLint}: the template when it parsed, and what is wrong with it as a whole (per-device
 * references are {@link ReferenceCheck}'s job).
 */
public record TemplateCheck(Optional<ProvisioningTemplate> template, List<Finding> findings) {

    public TemplateCheck {
        Objects.requireNonNull(template, "template");
        findings = List.copyOf(findings);
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(Finding::isError);
    }

    /**
     * The template, for a run that must not start with a broken one.
     *
     * @throws InvalidTemplateException listing every error
     */
    public ProvisioningTemplate require() {
        if (hasErrors() || template.isEmpty()) {
            throw new InvalidTemplateException(findings.stream().filter(Finding::isError).toList());
        }
        return template.get();
    }
}
