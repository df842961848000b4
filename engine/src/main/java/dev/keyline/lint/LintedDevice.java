package dev.keyline.lint;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.keyline.device.DeviceSpec;

/**
 * One device after lint.
 *
 * @param line     manifest line of the row
 * @param deviceId the device id as written (may be null or invalid when the row is refused)
 * @param spec     the device as it will be issued, when the row parsed
 * @param findings errors and warnings, most basic first
 */
public record LintedDevice(long line, String deviceId, Optional<DeviceSpec> spec, List<Finding> findings) {

    public LintedDevice {
        findings = List.copyOf(findings);
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(Finding::isError);
    }

    public boolean hasWarnings() {
        return findings.stream().anyMatch(f -> !f.isError());
    }

    /** The errors as one reason, for rejects.csv. */
    public String rejectionReason() {
        return findings.stream().filter(Finding::isError).map(f -> "[" + f.code() + "] " + f.explain())
                .collect(Collectors.joining(" | "));
    }
}
