package dev.keyline.lint;

import java.util.Optional;

import dev.keyline.x509.SubjectName.AttributeType;

/**
 * The {@code AWS::IoT::Certificate::*} parameters AWS IoT fills from a device certificate during just-in-time
 * provisioning: the only 8 the developer guide documents (reference/aws-iot.md section 5). Locality, SAN and the
 * rest are policy variables only, never template parameters.
 */
public enum CertificateParameter {
    COUNTRY("Country", AttributeType.C),
    ORGANIZATION("Organization", AttributeType.O),
    ORGANIZATIONAL_UNIT("OrganizationalUnit", AttributeType.OU),
    DISTINGUISHED_NAME_QUALIFIER("DistinguishedNameQualifier", AttributeType.DN_QUALIFIER),
    STATE_NAME("StateName", AttributeType.ST),
    COMMON_NAME("CommonName", AttributeType.CN),
    /*
     * AWS does not document unambiguously whether SerialNumber is the subject's serialNumber attribute (2.5.4.5) or
     * the certificate's serial number (aws-iot.md: UNCONFIRMED). The guide says the values come from the subject,
     * so Keyline takes the subject attribute, and says so in its findings.
     */
    SERIAL_NUMBER("SerialNumber", AttributeType.SERIAL_NUMBER),
    /** AWS's internal certificate id: always available, never from the subject. */
    ID("Id", null);

    public static final String PREFIX = "AWS::IoT::Certificate::";

    private final String shortName;
    private final AttributeType attribute;

    CertificateParameter(String shortName, AttributeType attribute) {
        this.shortName = shortName;
        this.attribute = attribute;
    }

    /** {@code AWS::IoT::Certificate::Country}. */
    public String parameterName() {
        return PREFIX + shortName;
    }

    /** The subject attribute the value comes from; empty for {@link #ID}. */
    public Optional<AttributeType> attribute() {
        return Optional.ofNullable(attribute);
    }

    public static Optional<CertificateParameter> fromParameterName(String name) {
        for (CertificateParameter p : values()) {
            if (p.parameterName().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public static Optional<CertificateParameter> fromAttribute(AttributeType type) {
        for (CertificateParameter p : values()) {
            if (p.attribute == type) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
