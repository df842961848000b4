package dev.keyline.lint;

import java.util.Optional;
import java.util.Set;

import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.SubjectName.AttributeType;

/**
 * The template parameters every device Keyline issues under a certificate profile is sure to supply during
 * just-in-time provisioning, where AWS IoT fills only the {@code AWS::IoT::Certificate::*} parameters from the device
 * certificate (reference/aws-iot.md section 5): {@code Id} always, and the subject attributes the profile requires
 * ({@code required-subject}). The values themselves differ per device, so the resolved value only names its source.
 */
final class ProfileSubject implements ParameterSource {

    private final Set<AttributeType> required;

    ProfileSubject(CertificateProfile profile) {
        this.required = profile.requiredSubject();
    }

    @Override
    public Optional<Resolved> resolve(String parameter) {
        Optional<CertificateParameter> p = CertificateParameter.fromParameterName(parameter);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        if (p.get() == CertificateParameter.ID) {
            return Optional.of(new Resolved("(the certificate id AWS assigns)", "AWS"));
        }
        AttributeType attribute = p.get().attribute().orElseThrow();
        return required.contains(attribute) || attribute == AttributeType.CN
                ? Optional.of(new Resolved("(each device's " + attribute.shortName() + ")", "subject " + attribute.shortName()
                + (required.contains(attribute) ? ", required by the profile" : "")))
                : Optional.empty();
    }

    @Override
    public String whyMissing(String parameter) {
        return CertificateParameter.fromParameterName(parameter).flatMap(CertificateParameter::attribute)
                .map(a -> "the certificate profile does not require a subject " + a.shortName() + " (required-subject), so "
                        + "devices issued under it may have none")
                .orElse("just-in-time provisioning fills only the AWS::IoT::Certificate::* parameters from the device "
                        + "certificate, and \"" + parameter + "\" is not one of them");
    }

    @Override
    public String howToSupply(String parameter) {
        return CertificateParameter.fromParameterName(parameter).flatMap(CertificateParameter::attribute)
                .map(a -> "add " + a.shortName() + " to the profile's required-subject (rows without it are then refused "
                        + "before signing)")
                .orElse("no device certificate supplies it during JITP");
    }
}
