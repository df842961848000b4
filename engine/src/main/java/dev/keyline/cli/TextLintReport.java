package dev.keyline.cli;

import java.io.PrintWriter;
import java.util.List;

import dev.keyline.lint.Finding;
import dev.keyline.lint.LintSummary;
import dev.keyline.lint.LintedDevice;
import dev.keyline.text.Counted;
import dev.keyline.text.InertText;

/**
 * For people: each device with findings under its line number and id, then a summary. Every line goes through
 * {@link #line}, which makes it {@link InertText inert}: findings quote manifest and template values.
 */
final class TextLintReport implements LintReport {

    private final PrintWriter out;

    TextLintReport(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void template(String template, List<Finding> findings) {
        if (findings.isEmpty()) {
            return;
        }
        line("template " + template);
        findings.forEach(this::finding);
        line("");
    }

    @Override
    public void device(LintedDevice device) {
        if (device.findings().isEmpty()) {
            return;
        }
        line("line " + device.line() + "  " + (device.deviceId() == null ? "(no device_id)" : device.deviceId()));
        device.findings().forEach(this::finding);
        out.flush();
    }

    private void finding(Finding f) {
        String field = f.field() == null ? "" : "  " + f.field() + (f.value() == null ? "" : "=\"" + f.value() + "\"");
        line("  " + f.severity().label() + "  " + f.code() + field);
        line("      " + f.message());
        if (!f.fix().isEmpty()) {
            line("      fix: " + f.fix());
        }
    }

    private void line(String text) {
        out.println(InertText.of(text));
    }

    @Override
    public void end(LintSummary s, List<Finding> templateFindings) {
        long templateErrors = templateFindings.stream().filter(Finding::isError).count();
        line("");
        line(String.format("Checked %,d device%s: %,d with errors (they would be rejected, never signed), %,d with warnings; "
                        + "%,d error%s, %,d warning%s%s.", s.rows(), s.rows() == 1 ? "" : "s", s.devicesWithErrors(),
                s.devicesWithWarnings(), s.errors(), s.errors() == 1 ? "" : "s", s.warnings(), s.warnings() == 1 ? "" : "s",
                templateFindings.isEmpty() ? "" : "; the template has " + Counted.of(templateErrors, "error") + " and "
                        + Counted.of(templateFindings.size() - templateErrors, "warning")));
        line(s.errors() + templateErrors == 0 ? "OK: nothing would fail." : "Not OK: fix the errors above.");
        out.flush();
    }
}
