package dev.keyline.lint;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

import dev.keyline.x509.SubjectName.AttributeType;

/**
 * A certificate subject as AWS IoT's template sees it: the {@code AWS::IoT::Certificate::*} values, AWS-escaped
 * ({@link AwsEscaping}). When an attribute repeats (two OUs) the first, most significant one is taken; AWS does not
 * document which it uses. Immutable.
 */
public final class CertificateSubject implements ParameterSource {

    private final Map<CertificateParameter, String> raw;

    private CertificateSubject(Map<CertificateParameter, String> raw) {
        this.raw = raw;
    }

    /** Reads any X.500 name, including attributes Keyline would refuse; non-string values are skipped. */
    public static CertificateSubject of(X500Name name) {
        Map<CertificateParameter, String> raw = new EnumMap<>(CertificateParameter.class);
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                Optional<CertificateParameter> p = AttributeType.fromName(atv.getType().getId())
                        .flatMap(CertificateParameter::fromAttribute);
                ASN1Encodable value = atv.getValue();
                if (p.isPresent() && value instanceof ASN1String s) {
                    raw.putIfAbsent(p.get(), s.getString());
                }
            }
        }
        return new CertificateSubject(raw);
    }

    /** The value as encoded in the certificate (unescaped). */
    public Optional<String> raw(CertificateParameter parameter) {
        return Optional.ofNullable(raw.get(parameter));
    }

    /** The value AWS passes to the template, escaped as AWS shows it; {@code Id} is AWS's own and never here. */
    public Optional<String> asAwsSees(CertificateParameter parameter) {
        return raw(parameter).map(AwsEscaping::escape);
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
        return asAwsSees(p.get()).map(v -> new Resolved(v, "subject " + p.get().attribute().orElseThrow().shortName()));
    }

    @Override
    public String whyMissing(String parameter) {
        return CertificateParameter.fromParameterName(parameter)
                .flatMap(CertificateParameter::attribute)
                .map(a -> "the certificate's subject has no " + a.shortName()
                        + (a == AttributeType.SERIAL_NUMBER ? " attribute (Keyline reads SerialNumber as the subject's "
                        + "serialNumber attribute; AWS does not document it unambiguously)" : ""))
                .orElse("just-in-time provisioning fills only the AWS::IoT::Certificate::* parameters, and \""
                        + parameter + "\" is not one of them");
    }

    @Override
    public String howToSupply(String parameter) {
        return CertificateParameter.fromParameterName(parameter).flatMap(CertificateParameter::attribute)
                .map(a -> "issue the device a certificate whose subject has " + a.shortName() + "=...")
                .orElse("no certificate can supply it");
    }
}
