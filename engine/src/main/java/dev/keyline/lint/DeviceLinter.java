package dev.keyline.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;

import dev.keyline.device.DeviceSpec;
import dev.keyline.device.DeviceSpecParser;
import dev.keyline.device.InvalidDeviceException;
import dev.keyline.device.ManifestColumns;
import dev.keyline.device.ManifestRecord;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.x509.CertificateProfile;

/**
 * Every check Keyline makes on one device before signing: the manifest row's own rules (subject, SAN, key, thing
 * fields), the Git Bash {@code //} note, a host name or IP in the CN that is missing from the SAN (or copied there),
 * the subject against the CA's, the key against the profile, and the provisioning template's references with this
 * device's values. {@code keyline lint} runs all of it; {@code keyline run} runs {@link #check(DeviceSpec, Optional)}
 * on rows that parsed. Stateless after construction and thread-safe.
 */
public final class DeviceLinter {

    public static final String EQUALS_ISSUER = "subject.equals-issuer";
    public static final String KEY_NOT_ALLOWED = "key.not-allowed";
    public static final String REQUIRED_SUBJECT = "subject.required";

    private final Optional<ProvisioningTemplate> template;
    private final Optional<X500Name> issuerSubject;
    private final Optional<CertificateProfile> profile;
    private final Optional<KeyAlgorithm> defaultKey;
    private final CommonNameInSan commonNameInSan;
    private final DeviceSpecParser parser = new DeviceSpecParser(true);

    /**
     * @param template      checked per device when present
     * @param issuerSubject the CA's subject (as encoded in its certificate), to refuse devices named like it
     * @param profile       to check each device's key algorithm against; empty when the caller checks it itself
     * @param defaultKey    the run's {@code --key}
     * @param cnToSan       {@code --cn-to-san}: copy a host-name or IP CN into the SAN instead of warning
     */
    public DeviceLinter(Optional<ProvisioningTemplate> template, Optional<X500Name> issuerSubject,
                        Optional<CertificateProfile> profile, Optional<KeyAlgorithm> defaultKey, boolean cnToSan) {
        this.template = Objects.requireNonNull(template, "template");
        this.issuerSubject = Objects.requireNonNull(issuerSubject, "issuerSubject");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.defaultKey = Objects.requireNonNull(defaultKey, "defaultKey");
        this.commonNameInSan = new CommonNameInSan(cnToSan);
    }

    /** A raw row, parsed here; {@code duplicateOfLine} is the first line of its device_id when the row repeats it. */
    public LintedDevice lint(ManifestRecord record, Long duplicateOfLine) {
        Optional<String> rawSubject = Optional.ofNullable(record.fields().get(ManifestColumns.SUBJECT));
        String deviceId = record.rawDeviceId();
        if (duplicateOfLine != null) {
            return new LintedDevice(record.line(), deviceId, Optional.empty(), List.of(Finding.error(RowFindings.DUPLICATE,
                    ManifestColumns.DEVICE_ID, deviceId, "device_id \"" + deviceId + "\" already appears on line "
                            + duplicateOfLine, "give each device one row; only the first is issued")));
        }
        DeviceSpec spec;
        try {
            spec = parser.parse(record);
        } catch (InvalidDeviceException e) {
            List<Finding> findings = new ArrayList<>();
            findings.add(RowFindings.of(e, rawSubject));
            RowFindings.gitBashDoubleSlash(rawSubject).ifPresent(findings::add);
            return new LintedDevice(record.line(), deviceId, Optional.empty(), findings);
        }
        return check(spec, rawSubject);
    }

    /** A row that parsed: what else is wrong, and the device as it will be issued (CN copied to the SAN if asked). */
    public LintedDevice check(DeviceSpec spec, Optional<String> rawSubject) {
        List<Finding> findings = new ArrayList<>();
        RowFindings.gitBashDoubleSlash(rawSubject).ifPresent(findings::add);
        CommonNameInSan.Checked cn = commonNameInSan.check(spec);
        DeviceSpec device = cn.spec();
        cn.finding().ifPresent(findings::add);
        if (issuerSubject.isPresent() && !device.subject().isEmpty()
                && device.subject().toX500Name().equals(issuerSubject.get())) {
            findings.add(Finding.error(EQUALS_ISSUER, ManifestColumns.SUBJECT, device.subject().toString(),
                    "the device subject \"" + device.subject() + "\" is the CA's own subject; a child's name must differ "
                            + "from its CA's, or verifiers take the certificate for self-issued",
                    "give the device its own name, e.g. CN=" + device.deviceId()));
        }
        profile.ifPresent(p -> {
            for (var missing : p.missingFrom(device.subject())) {
                findings.add(Finding.error(REQUIRED_SUBJECT, missing.shortName(), null, "the device subject \""
                        + device.subject() + "\" has no " + missing.shortName() + ", which the certificate profile requires "
                        + "(required-subject)", "give the device a subject " + missing.shortName() + ", or remove it from "
                        + "the profile's required-subject"));
            }
            KeyAlgorithm algorithm = device.key().or(() -> defaultKey).orElse(p.defaultKeyAlgorithm());
            if (!p.allowedKeyAlgorithms().contains(algorithm)) {
                findings.add(Finding.error(KEY_NOT_ALLOWED, ManifestColumns.KEY, algorithm.id(), "key \"" + algorithm.id()
                        + "\" is not allowed by the certificate profile", "use one of " + p.allowedKeyAlgorithms().stream()
                        .map(KeyAlgorithm::id).sorted().toList() + ", or allow it in the profile's allowed-keys"));
            }
        });
        template.ifPresent(t -> findings.addAll(ReferenceCheck.check(t, new DeviceParameters(device))));
        return new LintedDevice(device.line(), device.deviceId(), Optional.of(device), findings);
    }
}
