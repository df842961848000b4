package dev.keyline.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

import dev.keyline.lint.CertificateParameter;
import dev.keyline.lint.Diagnosis;
import dev.keyline.lint.Finding;
import dev.keyline.lint.ReferenceCheck;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Writes {@code keyline doctor}'s diagnoses as text for people or as one JSON document for machines. */
final class DoctorReports {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private DoctorReports() {
    }

    static void text(List<Diagnosis> diagnoses, String template, PrintWriter out) {
        for (Diagnosis d : diagnoses) {
            out.println("== " + d.source());
            out.println("subject: " + d.subject());
            out.println("as AWS IoT passes it to a template:");
            for (CertificateParameter p : CertificateParameter.values()) {
                if (p == CertificateParameter.ID) {
                    continue;
                }
                String value = d.awsValues().get(p.parameterName());
                out.printf("  %-46s %s%n", p.parameterName(), value == null ? "(absent)" : value);
            }
            d.passed().forEach(p -> out.println("  ok       " + p));
            d.findings().forEach(f -> finding(f, out));
            d.correctedCommand().ifPresent(c -> {
                out.println("corrected request (the name as it was probably meant):");
                out.println("  " + c);
            });
            if (!d.resolutions().isEmpty()) {
                out.println("template " + template + ":");
                for (ReferenceCheck.Resolution r : d.resolutions()) {
                    out.println(r.resolved()
                            ? "  resolves       " + r.parameter() + " = " + r.value().get() + "  (" + r.from() + ")"
                            : "  DOES NOT       " + r.parameter() + "  (used at " + r.path() + ")");
                }
            }
            if (!d.cloudChanges().isEmpty() || !d.notRepaired().isEmpty()) {
                out.println("if the device cannot be changed, change the template instead:");
                d.cloudChanges().forEach(c -> out.println("  - " + c));
                d.notRepaired().forEach(c -> out.println("  - not repaired: " + c));
            }
            d.correctedTemplate().ifPresent(t -> {
                out.println("corrected template:");
                out.println(t);
            });
            long errors = d.findings().stream().filter(Finding::isError).count();
            out.println(d.wouldFail() ? "verdict: WOULD FAIL (" + errors + " error" + (errors == 1 ? "" : "s") + ")"
                    : "verdict: OK" + (d.findings().isEmpty() ? "" : " (warnings only)"));
            out.println();
        }
        out.flush();
    }

    private static void finding(Finding f, PrintWriter out) {
        out.println("  " + (f.isError() ? "ERROR  " : "warning") + "  " + f.code()
                + (f.field() == null ? "" : "  " + f.field() + (f.value() == null ? "" : "=\"" + f.value() + "\"")));
        out.println("           " + f.message());
        if (!f.fix().isEmpty()) {
            out.println("           fix: " + f.fix());
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
