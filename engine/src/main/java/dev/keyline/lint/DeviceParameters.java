package dev.keyline.lint;

import java.util.Optional;

import dev.keyline.device.DeviceSpec;
import dev.keyline.x509.SubjectName.AttributeType;

/**
 * The template parameters a manifest row supplies. The mapping, also in README:
 * <ul>
 *   <li>{@code AWS::IoT::Certificate::*}: from the subject the device will get (as AWS escapes it); {@code Id} always;</li>
 *   <li>any other parameter {@code P}: the row's {@code attributes} entry {@code P=value} if there is one, else
 *       {@code ThingName} = {@code thing_name} (default: the device id), {@code DeviceId} = {@code device_id},
 *       {@code ThingTypeName} = {@code thing_type}, {@code ThingGroups} = {@code thing_groups} joined with commas
 *       (for {@code {"Fn::Split": [",", {"Ref": "ThingGroups"}]}}), {@code SerialNumber} = the subject's serialNumber
 *       attribute;</li>
 *   <li>then the template's {@code Default} (applied by {@link ReferenceCheck}).</li>
 * </ul>
 * These are the values a registration that passes the row's parameters to RegisterThing would send.
 */
public final class DeviceParameters implements ParameterSource {

    private final DeviceSpec spec;
    private final CertificateSubject subject;

    public DeviceParameters(DeviceSpec spec) {
        this.spec = spec;
        this.subject = CertificateSubject.of(spec.subject().toX500Name());
    }

    @Override
    public Optional<Resolved> resolve(String parameter) {
        if (parameter.startsWith(CertificateParameter.PREFIX)) {
            return subject.resolve(parameter);
        }
        String attribute = spec.attributes().get(parameter);
        if (attribute != null) {
            return Optional.of(new Resolved(attribute, "manifest attributes " + parameter));
        }
        return switch (parameter) {
            case "ThingName" -> Optional.of(new Resolved(spec.thingName(), "manifest thing_name"));
            case "DeviceId" -> Optional.of(new Resolved(spec.deviceId(), "manifest device_id"));
            case "ThingTypeName" -> spec.thingType().map(t -> new Resolved(t, "manifest thing_type"));
            case "ThingGroups" -> spec.thingGroups().isEmpty() ? Optional.empty()
                    : Optional.of(new Resolved(String.join(",", spec.thingGroups()), "manifest thing_groups"));
            case "SerialNumber" -> spec.subject().get(AttributeType.SERIAL_NUMBER)
                    .map(s -> new Resolved(s, "subject serialNumber"));
            default -> Optional.empty();
        };
    }

    @Override
    public String whyMissing(String parameter) {
        if (parameter.startsWith(CertificateParameter.PREFIX)) {
            return subject.whyMissing(parameter).replace("the certificate's subject", "the device's subject");
        }
        return "the manifest row has no attributes entry " + parameter + "=..."
                + (parameter.equals("SerialNumber") ? " and its subject no serialNumber" : "")
                + (parameter.equals("ThingTypeName") ? " and no thing_type" : "")
                + (parameter.equals("ThingGroups") ? " and no thing_groups" : "");
    }

    @Override
    public String howToSupply(String parameter) {
        return CertificateParameter.fromParameterName(parameter).flatMap(CertificateParameter::attribute)
                .map(a -> "give the device a subject " + a.shortName() + " (manifest column " + column(a)
                        + ", or " + a.shortName() + "= in subject)")
                .orElse("add " + parameter + "=value to the row's attributes column");
    }

    private static String column(AttributeType a) {
        return switch (a) {
            case C -> "country";
            case ST -> "state";
            case L -> "locality";
            case O -> "organization";
            case OU -> "organizational_unit";
            case CN -> "common_name";
            case SERIAL_NUMBER -> "serial_number";
            case DN_QUALIFIER -> "dn_qualifier";
        };
    }
}
