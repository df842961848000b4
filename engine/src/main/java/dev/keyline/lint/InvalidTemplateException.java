package dev.keyline.lint;

import java.util.List;
import java.util.stream.Collectors;

import dev.keyline.error.KeylineException;

/** A provisioning template with errors: a configuration error for a run, which then signs nothing. */
public class InvalidTemplateException extends KeylineException {

    private final List<Finding> findings;

    public InvalidTemplateException(List<Finding> findings) {
        super(Kind.CONFIGURATION, "the provisioning template is invalid: " + findings.stream().map(Finding::explain)
                .collect(Collectors.joining(" | ")));
        this.findings = List.copyOf(findings);
    }

    public List<Finding> findings() {
        return findings;
    }
}
