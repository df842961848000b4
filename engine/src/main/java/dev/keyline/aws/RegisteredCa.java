package dev.keyline.aws;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A CA certificate as AWS IoT holds it in one account and region (DescribeCACertificate).
 *
 * @param status           ACTIVE or INACTIVE (REGISTER_INACTIVE on old registrations)
 * @param autoRegistration whether device certificates signed by it are registered on first connect
 * @param templateBody     the JITP template of its registration config, if any
 * @param roleArn          the role of its registration config, if any
 * @param templateName     a provisioning template named instead of a body, if any
 */
public record RegisteredCa(String certificateId, String arn, String accountId, String region, String status, CaMode mode,
                           boolean autoRegistration, Optional<String> templateBody, Optional<String> roleArn,
                           Optional<String> templateName, Optional<Instant> notBefore, Optional<Instant> notAfter,
                           Optional<Instant> created) {

    public RegisteredCa {
        Objects.requireNonNull(certificateId, "certificateId");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(templateBody, "templateBody");
        Objects.requireNonNull(roleArn, "roleArn");
        Objects.requireNonNull(templateName, "templateName");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(created, "created");
    }

    public boolean active() {
        return "ACTIVE".equals(status);
    }

    /** {@code SNI_ONLY, ACTIVE, auto-registration on}. */
    public String summary() {
        return mode + ", " + status + ", auto-registration " + (autoRegistration ? "on" : "off")
                + (templateBody.isPresent() || templateName.isPresent() ? ", JITP template" : "");
    }
}
