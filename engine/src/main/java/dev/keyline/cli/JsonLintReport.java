package dev.keyline.cli;

import java.io.Writer;
import java.util.List;

import dev.keyline.lint.Finding;
import dev.keyline.lint.LintSummary;
import dev.keyline.lint.LintedDevice;
import dev.keyline.text.InertJsonEscapes;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * For machines: one JSON document, written as the manifest streams (so memory stays flat):
 * {@code {"manifest", "template", "findings": [{line, deviceId, severity, code, field, value, message, fix}...],
 * "counts": {...}, "ok"}}. Template findings have {@code line} and {@code deviceId} null.
 */
final class JsonLintReport implements LintReport {

    private final JsonGenerator json;

    JsonLintReport(Writer out, String manifest, String template) {
        // Exact values for machines; C1 and bidirectional controls as JSON escapes, so the raw document is inert too.
        this.json = JsonMapper.builder(JsonFactory.builder().characterEscapes(new InertJsonEscapes()).build()).build()
                .createGenerator(out);
        json.writeStartObject();
        json.writeStringProperty("manifest", manifest);
        json.writeStringProperty("template", template);
        json.writeName("findings");
        json.writeStartArray();
    }

    @Override
    public void template(String template, List<Finding> findings) {
        findings.forEach(f -> finding(null, null, f));
    }

    @Override
    public void device(LintedDevice device) {
        device.findings().forEach(f -> finding(device.line(), device.deviceId(), f));
    }

    private void finding(Long line, String deviceId, Finding f) {
        json.writeStartObject();
        if (line == null) {
            json.writeNullProperty("line");
        } else {
            json.writeNumberProperty("line", line);
        }
        json.writeStringProperty("deviceId", deviceId);
        json.writeStringProperty("severity", f.severity().label());
        json.writeStringProperty("code", f.code());
        json.writeStringProperty("field", f.field());
        json.writeStringProperty("value", f.value());
        json.writeStringProperty("message", f.message());
        json.writeStringProperty("fix", f.fix());
        json.writeEndObject();
    }

    @Override
    public void end(LintSummary s, List<Finding> templateFindings) {
        long templateErrors = templateFindings.stream().filter(Finding::isError).count();
        json.writeEndArray();
        json.writeName("counts");
        json.writeStartObject();
        json.writeNumberProperty("rows", s.rows());
        json.writeNumberProperty("devicesWithErrors", s.devicesWithErrors());
        json.writeNumberProperty("devicesWithWarnings", s.devicesWithWarnings());
        json.writeNumberProperty("errors", s.errors());
        json.writeNumberProperty("warnings", s.warnings());
        json.writeNumberProperty("templateErrors", templateErrors);
        json.writeNumberProperty("templateWarnings", templateFindings.size() - templateErrors);
        json.writeEndObject();
        json.writeBooleanProperty("ok", s.errors() + templateErrors == 0);
        json.writeEndObject();
        json.flush();
    }
}
