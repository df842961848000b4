package dev.keyline.lint;

import java.util.List;
import java.util.stream.Collectors;

/** A provisioning template with errors: a configuration error for a run, which then signs nothing. */
public class InvalidTemplateException extends IllegalArgumentException {

    private final List<Finding> findings;

    public InvalidTemplateException(List<Finding> findings) {
        super("the provisioning template is invalid: " + findings.stream().map(Finding::explain)
                .collect(Collectors.joining(" | ")));
        this.findings = List.copyOf(findings);
    }

    public List<Finding> findings() {
        return findings;
    }
}
