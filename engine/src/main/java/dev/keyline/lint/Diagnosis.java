package dev.keyline.lint;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code keyline doctor} found in one certificate.
 *
 * @param source            file and position, e.g. {@code device.pem#1}
 * @param subject           the subject in RFC 2253, as the JDK prints it
 * @param awsValues         {@code AWS::IoT::Certificate::*} name to the value AWS passes to a template (AWS-escaped);
 *                          only those the subject has
 * @param passed            checks that passed, in a few words each
 * @param findings          what would fail (errors) or looks wrong (warnings)
 * @param correctedCommand  the OpenSSL request command with the name as it was probably meant, when it is malformed
 * @param resolutions       with a template: each needed parameter, resolved or not
 * @param cloudChanges      with a template that fails: what the corrected template changes
 * @param correctedTemplate with a template that fails: a template that works for this certificate, pretty JSON
 * @param notRepaired       with a template that fails: what could not be repaired in the cloud, and why
 */
public record Diagnosis(String source, String subject, Map<String, String> awsValues, List<String> passed,
                        List<Finding> findings, Optional<String> correctedCommand,
                        List<ReferenceCheck.Resolution> resolutions, List<String> cloudChanges,
                        Optional<String> correctedTemplate, List<String> notRepaired) {

    public Diagnosis {
        awsValues = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(awsValues));
        passed = List.copyOf(passed);
        findings = List.copyOf(findings);
        resolutions = List.copyOf(resolutions);
        cloudChanges = List.copyOf(cloudChanges);
        notRepaired = List.copyOf(notRepaired);
    }

    /** True when something would fail: the reason for doctor's non-zero exit. */
    public boolean wouldFail() {
        return findings.stream().anyMatch(Finding::isError);
    }
}
