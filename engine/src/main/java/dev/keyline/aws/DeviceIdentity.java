package dev.keyline.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.keyline.bundle.Pem;

/**
 * One issued device identity as registration needs it: plain values, no ledger or manifest types.
 *
 * @param certificateDer    the device certificate
 * @param certificateId     AWS IoT's certificateId: lowercase hex SHA-256 of {@code certificateDer} (checked)
 * @param caCertificatePem  the CA that signed the device, when known; with-ca mode prefers it to the target's
 * @param attributes        thing attributes (CreateThing), also offered as template parameters by name
 * @param thingGroups       the static thing groups the thing is added to (AddThingToThingGroup; template: ThingGroups)
 */
public record DeviceIdentity(
        String deviceId,
        String thingName,
        Optional<String> thingType,
        Map<String, String> attributes,
        byte[] certificateDer,
        String certificateId,
        Optional<String> caCertificatePem,
        List<String> thingGroups) {

    /** AWS IoT's thing name pattern. */
    private static final Pattern THING_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");

    public DeviceIdentity {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(thingName, "thingName");
        if (!THING_NAME.matcher(thingName).matches()) {
            throw new IllegalArgumentException("device " + deviceId + ": thing name \"" + thingName
                    + "\" does not match AWS IoT's [a-zA-Z0-9:_-]{1,128}: fix thing_name in the manifest");
        }
        Objects.requireNonNull(thingType, "thingType");
        attributes = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(attributes, "attributes")));
        Objects.requireNonNull(certificateDer, "certificateDer");
        certificateDer = certificateDer.clone();
        Objects.requireNonNull(certificateId, "certificateId");
        String actual = certificateIdOf(certificateDer);
        if (!actual.equals(certificateId)) {
            throw new IllegalArgumentException("device " + deviceId + ": certificateId " + certificateId
                    + " is not the SHA-256 of its certificate (" + actual + "): the ledger row and the certificate disagree");
        }
        Objects.requireNonNull(caCertificatePem, "caCertificatePem");
        thingGroups = List.copyOf(Objects.requireNonNull(thingGroups, "thingGroups"));
    }

    /** A device in no thing group. */
    public DeviceIdentity(String deviceId, String thingName, Optional<String> thingType, Map<String, String> attributes,
                          byte[] certificateDer, String certificateId, Optional<String> caCertificatePem) {
        this(deviceId, thingName, thingType, attributes, certificateDer, certificateId, caCertificatePem, List.of());
    }

    /** A device whose thing is named after it, with no type, attributes or CA. */
    public static DeviceIdentity of(String deviceId, byte[] certificateDer) {
        return new DeviceIdentity(deviceId, deviceId, Optional.empty(), Map.of(), certificateDer,
                certificateIdOf(certificateDer), Optional.empty());
    }

    @Override
    public byte[] certificateDer() {
        return certificateDer.clone();
    }

    /** The certificate as PEM, as the AWS API takes it. */
    public String certificatePem() {
        return new String(Pem.certificate(certificateDer), StandardCharsets.US_ASCII);
    }

    /** Lowercase hex SHA-256 of a DER certificate: AWS IoT's certificateId. */
    public static String certificateIdOf(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceIdentity d && deviceId.equals(d.deviceId) && certificateId.equals(d.certificateId)
                && thingName.equals(d.thingName) && thingType.equals(d.thingType) && attributes.equals(d.attributes)
                && caCertificatePem.equals(d.caCertificatePem) && thingGroups.equals(d.thingGroups);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, certificateId);
    }

    @Override
    public String toString() {
        return "DeviceIdentity[" + deviceId + ", thing " + thingName + ", cert " + certificateId + "]";
    }
}
