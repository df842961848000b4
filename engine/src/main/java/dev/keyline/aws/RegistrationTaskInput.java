package dev.keyline.aws;

import java.util.Map;
import java.util.Objects;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lines of a bulk registration task's input file: per device, one JSON object of the parameters its target's
 * template declares, with the values {@code keyline lint --template} resolves and the per-call template mode sends
 * ({@link Registrar#templateValues}), the certificate among them ({@code CertificatePem}, {@code CertificateId},
 * {@code CACertificatePem}). One line per device, no line breaks inside (JSON escapes the PEM's). Thread-safe.
 */
public final class RegistrationTaskInput {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final ProvisioningTemplate template;

    public RegistrationTaskInput(RegistrationTarget target) {
        Objects.requireNonNull(target, "target");
        this.template = target.template().orElseThrow(() -> new IllegalArgumentException("target " + target.name()
                + " has no provisioning template"));
    }

    /** The device's input line, without the line feed. */
    public String line(DeviceIdentity device) {
        Map<String, String> parameters = template.parametersFor(Registrar.templateValues(device));
        return JSON.writeValueAsString(parameters);
    }
}
