package dev.keyline.aws;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.AutoRegistrationStatus;
import software.amazon.awssdk.services.iot.model.CACertificateDescription;
import software.amazon.awssdk.services.iot.model.CACertificateStatus;
import software.amazon.awssdk.services.iot.model.CertificateMode;
import software.amazon.awssdk.services.iot.model.DescribeCaCertificateResponse;
import software.amazon.awssdk.services.iot.model.RegistrationConfig;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * The AWS IoT calls that manage a CA certificate's registration in one account and region: describe it, get the
 * registration code, register it, update its registration config or auto-registration, deactivate and delete it.
 * Every failure is a {@link CaRegistrationException} naming the account, region, operation and AWS's answer.
 * <p>
 * The client retries throttling and 5xx itself (IotClients#adminClient). A RegisterCACertificate whose reply was lost
 * and that is retried meets ResourceAlreadyExists for the CA it just registered: that is success, told apart from
 * another account's DEFAULT registration by describing the CA here. Thread-safe as the client is.
 */
public final class CaRegistrar {

    /** What RegisterCACertificate sends. */
    public record Registration(String caPem, CaMode mode, Optional<String> verificationPem, boolean active,
                               boolean autoRegistration, Optional<JitpTemplate> jitp) {
        public Registration {
            Objects.requireNonNull(caPem, "caPem");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(verificationPem, "verificationPem");
            Objects.requireNonNull(jitp, "jitp");
            if ((mode == CaMode.DEFAULT) != verificationPem.isPresent()) {
                throw new IllegalArgumentException("a verification certificate goes with DEFAULT mode, and only with it");
            }
        }
    }

    private final IotClient iot;
    private final String accountId;
    private final String region;

    public CaRegistrar(IotClient iot, String accountId, String region) {
        this.iot = Objects.requireNonNull(iot, "iot");
        this.accountId = Objects.requireNonNull(accountId, "accountId");
        this.region = Objects.requireNonNull(region, "region");
    }

    /** The CA with that certificate id as registered here, or empty when this account does not hold it. */
    public Optional<RegisteredCa> describe(String caCertificateId) {
        try {
            DescribeCaCertificateResponse response = call("DescribeCACertificate",
                    () -> iot.describeCACertificate(r -> r.certificateId(caCertificateId)));
            return Optional.of(registered(response));
        } catch (CaRegistrationException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The account's registration code in this region (GetRegistrationCode; stable until someone deletes it). */
    public String registrationCode() {
        return call("GetRegistrationCode", () -> iot.getRegistrationCode(r -> { })).registrationCode();
    }

    /**
     * Registers the CA (RegisterCACertificate) and returns it as now registered here.
     *
     * @throws CaRegistrationException when AWS refuses, e.g. RegistrationCodeValidationException, or another account of
     *                                 the region holds the CA in DEFAULT mode
     */
    public RegisteredCa register(String caCertificateId, Registration registration) {
        try {
            call("RegisterCACertificate", () -> iot.registerCACertificate(r -> {
                r.caCertificate(registration.caPem())
                        .certificateMode(registration.mode() == CaMode.DEFAULT ? CertificateMode.DEFAULT : CertificateMode.SNI_ONLY)
                        .setAsActive(registration.active())
                        .allowAutoRegistration(registration.autoRegistration());
                registration.verificationPem().ifPresent(r::verificationCertificate);
                registration.jitp().ifPresent(t -> r.registrationConfig(config(t)));
            }));
        } catch (CaRegistrationException e) {
            if (!(e.getCause() instanceof ResourceAlreadyExistsException)) {
                throw e;
            }
            Optional<RegisteredCa> here = describe(caCertificateId);
            if (here.isEmpty() || here.get().mode() != registration.mode()) {
                throw new CaRegistrationException("account " + accountId + " in " + region + ": AWS IoT refused to register "
                        + "the CA in " + registration.mode() + " mode (" + e.errorCode().orElse("") + "): another account of "
                        + region + " already holds it in DEFAULT mode, and only one may; register it here as SNI_ONLY, or "
                        + "move DEFAULT with `keyline ca register --replace` in that account first", e.errorCode().orElse(null), e);
            }
            // A retried call whose first attempt did register it (lost reply): it is registered as asked.
        }
        return describe(caCertificateId).orElseThrow(() -> new CaRegistrationException("account " + accountId + " in "
                + region + ": RegisterCACertificate succeeded but DescribeCACertificate does not find " + caCertificateId
                + "; run the command again", null, null));
    }

    /**
     * Sets the registration config and/or turns auto-registration on (UpdateCACertificate). Never removes a template
     * nor turns auto-registration off: that is left to the operator.
     */
    public void update(String caCertificateId, Optional<JitpTemplate> jitp, boolean enableAutoRegistration) {
        call("UpdateCACertificate", () -> iot.updateCACertificate(r -> {
            r.certificateId(caCertificateId);
            jitp.ifPresent(t -> r.registrationConfig(config(t)));
            if (enableAutoRegistration) {
                r.newAutoRegistrationStatus(AutoRegistrationStatus.ENABLE);
            }
        }));
    }

    /** UpdateCACertificate to INACTIVE: AWS deletes only an inactive CA. */
    public void deactivate(String caCertificateId) {
        call("UpdateCACertificate", () -> iot.updateCACertificate(r -> r.certificateId(caCertificateId)
                .newStatus(CACertificateStatus.INACTIVE)));
    }

    /** DeleteCACertificate (the CA must be INACTIVE). Device certificates registered under it keep their own mode. */
    public void delete(String caCertificateId) {
        call("DeleteCACertificate", () -> iot.deleteCACertificate(r -> r.certificateId(caCertificateId)));
    }

    private static RegistrationConfig config(JitpTemplate template) {
        return RegistrationConfig.builder().templateBody(template.body()).roleArn(template.roleArn()).build();
    }

    private RegisteredCa registered(DescribeCaCertificateResponse response) {
        CACertificateDescription d = response.certificateDescription();
        RegistrationConfig config = response.registrationConfig();
        String mode = d.certificateModeAsString();
        return new RegisteredCa(d.certificateId(), d.certificateArn(), accountId, region, String.valueOf(d.statusAsString()),
                // Registrations made before certificateMode existed (2022) are DEFAULT, AWS's default.
                mode == null || mode.isEmpty() ? CaMode.DEFAULT : CaMode.of(mode),
                d.autoRegistrationStatus() == AutoRegistrationStatus.ENABLE,
                Optional.ofNullable(config).map(RegistrationConfig::templateBody).filter(s -> !s.isEmpty()),
                Optional.ofNullable(config).map(RegistrationConfig::roleArn).filter(s -> !s.isEmpty()),
                Optional.ofNullable(config).map(RegistrationConfig::templateName).filter(s -> !s.isEmpty()),
                Optional.ofNullable(d.validity()).map(v -> v.notBefore()),
                Optional.ofNullable(d.validity()).map(v -> v.notAfter()),
                Optional.ofNullable(d.creationDate()));
    }

    private <T> T call(String operation, Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            AwsError error = AwsError.of(e);
            String code = e instanceof AwsServiceException ? error.code() : null;
            throw new CaRegistrationException("account " + accountId + " in " + region + ": " + operation + " failed: "
                    + error.code() + ": " + error.message() + hint(error.code()), code, e);
        }
    }

    private static String hint(String code) {
        return switch (code) {
            case "RegistrationCodeValidationException" -> " (the account's registration code changed after Keyline read it, "
                    + "e.g. someone ran DeleteRegistrationCode; run the command again to use the new code)";
            case "CertificateValidationException" -> " (AWS IoT does not accept the certificate: check it with `keyline ca "
                    + "plan`, which runs the same checks)";
            case "UnauthorizedException", "AccessDeniedException", "UnrecognizedClientException" ->
                    " (the target's credentials may not manage CA certificates: grant iot:*CACertificate and iot:*RegistrationCode)";
            default -> "";
        };
    }
}
