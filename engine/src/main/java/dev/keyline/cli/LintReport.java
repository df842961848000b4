package dev.keyline.cli;

import java.util.List;

import dev.keyline.lint.Finding;
import dev.keyline.lint.LintSummary;
import dev.keyline.lint.LintedDevice;

/** How {@code keyline lint} writes what it found, as it streams through the manifest. */
interface LintReport {

    /** Findings about the template file as a whole, before any device. */
    void template(String template, List<Finding> findings);

    /** One device; called for every row, with or without findings. */
    void device(LintedDevice device);

    void end(LintSummary summary, List<Finding> templateFindings);
}
