package dev.keyline.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

import dev.keyline.lint.CertificateParameter;
import dev.keyline.lint.Diagnosis;
import dev.keyline.lint.Finding;
import dev.keyline.lint.ReferenceCheck;
import dev.keyline.text.InertJsonEscapes;
import dev.keyline.text.InertText;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes {@code keyline doctor}'s diagnoses as text for people or as one JSON document for machines. */
final class DoctorReports {

    /** Exact values for machines; C1 and bidirectional controls as JSON escapes, so the raw document is inert too. */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder().characterEscapes(new InertJsonEscapes())
            .build()).build();

    private DoctorReports() {
    }

    static void text(List<Diagnosis> diagnoses, String template, PrintWriter out) {
        for (Diagnosis d : diagnoses) {
            line(out, "== " + d.source());
            line(out, "subject: " + d.subject());
            line(out, "as AWS IoT passes it to a template:");
            for (CertificateParameter p : CertificateParameter.values()) {
                if (p == CertificateParameter.ID) {
                    continue;
                }
                String value = d.awsValues().get(p.parameterName());
                line(out, String.format("  %-46s %s", p.parameterName(), value == null ? "(absent)" : value));
            }
            d.passed().forEach(p -> line(out, "  ok       " + p));
            d.findings().forEach(f -> finding(f, out));
            d.correctedCommand().ifPresent(c -> {
                line(out, "corrected request (the name as it was probably meant):");
                line(out, "  " + c);
            });
            if (!d.resolutions().isEmpty()) {
                line(out, "template " + template + ":");
                for (ReferenceCheck.Resolution r : d.resolutions()) {
                    line(out, r.resolved()
                            ? "  resolves       " + r.parameter() + " = " + r.value().get() + "  (" + r.from() + ")"
                            : "  DOES NOT       " + r.parameter() + "  (used at " + r.path() + ")");
                }
            }
            if (!d.cloudChanges().isEmpty() || !d.notRepaired().isEmpty()) {
                line(out, "if the device cannot be changed, change the template instead:");
                d.cloudChanges().forEach(c -> line(out, "  - " + c));
                d.notRepaired().forEach(c -> line(out, "  - not repaired: " + c));
            }
            d.correctedTemplate().ifPresent(t -> {
                line(out, "corrected template:");
                t.lines().forEach(l -> line(out, l));
            });
            long errors = d.findings().stream().filter(Finding::isError).count();
            line(out, d.wouldFail() ? "verdict: WOULD FAIL (" + errors + " error" + (errors == 1 ? "" : "s") + ")"
                    : "verdict: OK" + (d.findings().isEmpty() ? "" : " (warnings only)"));
            line(out, "");
        }
        out.flush();
    }

    /** Every line of the text report goes out here, {@link InertText inert}: it quotes certificate subjects. */
    private static void line(PrintWriter out, String text) {
        out.println(InertText.of(text));
    }

    private static void finding(Finding f, PrintWriter out) {
        line(out, "  " + (f.isError() ? "ERROR  " : "warning") + "  " + f.code()
                + (f.field() == null ? "" : "  " + f.field() + (f.value() == null ? "" : "=\"" + f.value() + "\"")));
        line(out, "           " + f.message());
        if (!f.fix().isEmpty()) {
            line(out, "           fix: " + f.fix());
        }
    }

    static void json(List<Diagnosis> diagnoses, String template, PrintWriter out) {
        ObjectNode root = JSON.createObjectNode();
        root.put("template", template);
        ArrayNode certificates = root.putArray("certificates");
        for (Diagnosis d : diagnoses) {
            ObjectNode c = certificates.addObject();
            c.put("source", d.source());
            c.put("subject", d.subject());
            ObjectNode aws = c.putObject("awsValues");
            for (Map.Entry<String, String> v : d.awsValues().entrySet()) {
                aws.put(v.getKey(), v.getValue());
            }
            ArrayNode passed = c.putArray("passed");
            d.passed().forEach(passed::add);
            ArrayNode findings = c.putArray("findings");
            for (Finding f : d.findings()) {
                findings.addObject().put("severity", f.severity().label()).put("code", f.code()).put("field", f.field())
                        .put("value", f.value()).put("message", f.message()).put("fix", f.fix());
            }
            c.put("correctedCommand", d.correctedCommand().orElse(null));
            ArrayNode resolutions = c.putArray("references");
            for (ReferenceCheck.Resolution r : d.resolutions()) {
                resolutions.addObject().put("parameter", r.parameter()).put("path", r.path()).put("resolved", r.resolved())
                        .put("value", r.value().orElse(null)).put("from", r.from());
            }
            ArrayNode changes = c.putArray("cloudChanges");
            d.cloudChanges().forEach(changes::add);
            ArrayNode left = c.putArray("notRepaired");
            d.notRepaired().forEach(left::add);
            JsonNode corrected = d.correctedTemplate().map(JSON::readTree).orElse(null);
            c.set("correctedTemplate", corrected);
            c.put("wouldFail", d.wouldFail());
        }
        root.put("ok", diagnoses.stream().noneMatch(Diagnosis::wouldFail));
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        out.flush();
    }
}
