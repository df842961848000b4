package dev.keyline.device;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.x509.SubjectAltNames;
import dev.keyline.x509.SubjectName;

/**
 * One validated manifest row: everything needed to issue and, later, register one device.
 *
 * @param index       0-based row index in the manifest
 * @param line        line of the manifest where the row starts
 * @param deviceId    unique in the manifest; usable as an AWS thing name
 * @param subject     the certificate subject the device will get
 * @param altNames    subject alternative names (may be empty)
 * @param key         per-device key algorithm, overriding the run's default
 * @param csr         a certificate signing request made on the device (PEM or base64 DER), when given
 * @param thingName   AWS IoT thing name (default: the device id)
 * @param thingType   AWS IoT thing type, if any
 * @param thingGroups AWS IoT thing groups
 * @param attributes  thing attributes
 * @param accounts    registration target names for this device; empty: the run's targets
 */
public record DeviceSpec(long index, long line, String deviceId, SubjectName subject, SubjectAltNames altNames,
                         Optional<KeyAlgorithm> key, Optional<String> csr, String thingName, Optional<String> thingType,
                         List<String> thingGroups, Map<String, String> attributes, List<String> accounts) {

    public DeviceSpec {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(altNames, "altNames");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(csr, "csr");
        Objects.requireNonNull(thingName, "thingName");
        Objects.requireNonNull(thingType, "thingType");
        thingGroups = List.copyOf(thingGroups);
        attributes = Map.copyOf(attributes);
        accounts = List.copyOf(accounts);
    }

    /** The same device with another subject (e.g. the one its CSR asked for, when the profile says so). */
    public DeviceSpec withSubject(SubjectName other) {
        return new DeviceSpec(index, line, deviceId, other, altNames, key, csr, thingName, thingType, thingGroups,
                attributes, accounts);
    }
}
