package dev.keyline.x509;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import dev.keyline.ca.SignatureAlgorithms;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.TokenKeyHandling;
import dev.keyline.keys.UnknownKeyAlgorithmException;
import dev.keyline.x509.SubjectName.AttributeType;

/**
 * What a device certificate looks like: lifetime, key usages and the keys it may certify. Profiles
 * are data, read from YAML or JSON (JSON is read by the same YAML 1.2 parser); every key is optional
 * and falls back to {@link #defaults()}:
 *
 * <pre>
 * validity-days: 3650            # whole days, 1..36500; clamped to the CA's own notAfter when issuing
 * backdate-seconds: 300          # whole seconds, 0..86400; notBefore = now - backdate (clock skew on devices)
 * key-agreement: false           # EC keys also get keyUsage keyAgreement (ECDH)
 * extended-key-usages: [clientAuth]   # clientAuth, serverAuth; [] leaves the extension out
 * default-key: ec-p256           # when the manifest names no key algorithm
 * allowed-keys: [ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096]
 * signature-digest: SHA-256      # SHA-256, SHA-384, SHA-512
 * csr-subject: manifest          # manifest, csr: where a CSR device's subject comes from
 * hsm-device-keys: keep          # with run --keys hsm: keep (in the token) or wrap (exported, RFC 5649)
 * hsm-wrapping-key: keyline-wrap # with wrap: CKA_LABEL of the token's AES wrapping key
 * required-subject: [CN, C]      # attributes every device subject must have (rows without them are refused)
 * </pre>
 *
 * Durations are whole numbers of a named unit rather than ISO-8601 ({@code P3650D}) because the people
 * editing profiles on a line read {@code validity-days: 3650} without a manual.
 *
 * <p>The default validity is ten years: a factory identity has to outlive the device's service life
 * (often 10 years and more) because many devices cannot be re-provisioned in the field; it is cut to
 * the CA's notAfter anyway. Unknown keys and bad values are refused with a {@link ProfileException}.
 */
public record CertificateProfile(Duration validity, Duration backdate, boolean keyAgreement,
        List<KeyPurpose> extendedKeyUsages, KeyAlgorithm defaultKeyAlgorithm, Set<KeyAlgorithm> allowedKeyAlgorithms,
        String signatureDigest, CsrSubject csrSubject, Set<AttributeType> requiredSubject, TokenKeyHandling hsmDeviceKeys,
        Optional<String> hsmWrappingKey) {

    /** Where a device certificate's subject comes from when the device sent a CSR. */
    public enum CsrSubject {
        /** The manifest's fields, so names follow Keyline's rules whatever the device put in its request. */
        MANIFEST,
        /** The CSR's own subject (still checked by the subject rules). */
        CSR;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A profile whose device keys made in a token (--keys hsm) are kept there. */
    public CertificateProfile(Duration validity, Duration backdate, boolean keyAgreement,
            List<KeyPurpose> extendedKeyUsages, KeyAlgorithm defaultKeyAlgorithm, Set<KeyAlgorithm> allowedKeyAlgorithms,
            String signatureDigest, CsrSubject csrSubject, Set<AttributeType> requiredSubject) {
        this(validity, backdate, keyAgreement, extendedKeyUsages, defaultKeyAlgorithm, allowedKeyAlgorithms,
                signatureDigest, csrSubject, requiredSubject, TokenKeyHandling.KEEP, Optional.empty());
    }

    /** A profile whose CSR subjects come from the manifest. */
    public CertificateProfile(Duration validity, Duration backdate, boolean keyAgreement,
            List<KeyPurpose> extendedKeyUsages, KeyAlgorithm defaultKeyAlgorithm, Set<KeyAlgorithm> allowedKeyAlgorithms,
            String signatureDigest) {
        this(validity, backdate, keyAgreement, extendedKeyUsages, defaultKeyAlgorithm, allowedKeyAlgorithms,
                signatureDigest, CsrSubject.MANIFEST);
    }

    /** A profile that requires no particular subject attribute. */
    public CertificateProfile(Duration validity, Duration backdate, boolean keyAgreement,
            List<KeyPurpose> extendedKeyUsages, KeyAlgorithm defaultKeyAlgorithm, Set<KeyAlgorithm> allowedKeyAlgorithms,
            String signatureDigest, CsrSubject csrSubject) {
        this(validity, backdate, keyAgreement, extendedKeyUsages, defaultKeyAlgorithm, allowedKeyAlgorithms,
                signatureDigest, csrSubject, Set.of());
    }

    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);
    public static final Duration DEFAULT_BACKDATE = Duration.ofMinutes(5);
    static final long MAX_VALIDITY_DAYS = 36_500;
    static final long MAX_BACKDATE_SECONDS = 86_400;

    /** The profile keys, in the order they are documented. */
    public static final List<String> KEYS = List.of("validity-days", "backdate-seconds", "key-agreement",
            "extended-key-usages", "default-key", "allowed-keys", "signature-digest", "csr-subject", "required-subject",
            "hsm-device-keys", "hsm-wrapping-key");

    /**
     * @throws ProfileException for a non-positive validity, a negative backdate, an empty key set, a default
     *                          key that is not allowed, or an unknown digest
     */
    public CertificateProfile {
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(backdate, "backdate");
        Objects.requireNonNull(defaultKeyAlgorithm, "defaultKeyAlgorithm");
        Objects.requireNonNull(csrSubject, "csrSubject");
        // An EnumSet underneath: messages list the attributes in a stable order.
        requiredSubject = requiredSubject == null || requiredSubject.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(requiredSubject));
        Objects.requireNonNull(hsmDeviceKeys, "hsmDeviceKeys");
        Objects.requireNonNull(hsmWrappingKey, "hsmWrappingKey");
        if (hsmDeviceKeys == TokenKeyHandling.WRAP && hsmWrappingKey.isEmpty()) {
            throw new ProfileException("hsm-device-keys is wrap but hsm-wrapping-key is missing: give the CKA_LABEL of "
                    + "the token's AES key that device keys are wrapped under", null, "hsm-wrapping-key");
        }
        if (hsmWrappingKey.isPresent() && hsmWrappingKey.get().isBlank()) {
            throw new ProfileException("hsm-wrapping-key is empty: give the wrapping key's label", null, "hsm-wrapping-key");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new ProfileException("validity-days must be at least 1 (got " + validity.toDays() + ")", null, "validity-days");
        }
        if (backdate.isNegative()) {
            throw new ProfileException("backdate-seconds must not be negative (got " + backdate.toSeconds() + ")",
                    null, "backdate-seconds");
        }
        extendedKeyUsages = List.copyOf(new LinkedHashSet<>(extendedKeyUsages));
        if (allowedKeyAlgorithms == null || allowedKeyAlgorithms.isEmpty()) {
            throw new ProfileException("allowed-keys is empty: list at least one of " + KeyAlgorithm.validIds(),
                    null, "allowed-keys");
        }
        allowedKeyAlgorithms = Collections.unmodifiableSet(EnumSet.copyOf(allowedKeyAlgorithms));
        if (!allowedKeyAlgorithms.contains(defaultKeyAlgorithm)) {
            throw new ProfileException("default-key " + defaultKeyAlgorithm.id() + " is not in allowed-keys ("
                    + ids(allowedKeyAlgorithms) + "): add it there or choose one of those", null, "default-key");
        }
        try {
            signatureDigest = SignatureAlgorithms.normaliseDigest(signatureDigest);
        } catch (IllegalArgumentException e) {
            throw new ProfileException("signature-digest: " + e.getMessage(), null, "signature-digest");
        }
    }

    /** Ten years, backdated five minutes, digitalSignature, clientAuth, ec-p256 by default, any key, SHA-256. */
    public static CertificateProfile defaults() {
        return new CertificateProfile(DEFAULT_VALIDITY, DEFAULT_BACKDATE, false, List.of(KeyPurpose.CLIENT_AUTH),
                KeyAlgorithm.EC_P256, EnumSet.allOf(KeyAlgorithm.class), "SHA-256");
    }

    public CertificateProfile withValidity(Duration v) {
        return new CertificateProfile(v, backdate, keyAgreement, extendedKeyUsages, defaultKeyAlgorithm,
                allowedKeyAlgorithms, signatureDigest, csrSubject, requiredSubject, hsmDeviceKeys, hsmWrappingKey);
    }

    public CertificateProfile withKeyAgreement(boolean k) {
        return new CertificateProfile(validity, backdate, k, extendedKeyUsages, defaultKeyAlgorithm,
                allowedKeyAlgorithms, signatureDigest, csrSubject, requiredSubject, hsmDeviceKeys, hsmWrappingKey);
    }

    public CertificateProfile withExtendedKeyUsages(List<KeyPurpose> ekus) {
        return new CertificateProfile(validity, backdate, keyAgreement, ekus, defaultKeyAlgorithm,
                allowedKeyAlgorithms, signatureDigest, csrSubject, requiredSubject, hsmDeviceKeys, hsmWrappingKey);
    }

    public CertificateProfile withSignatureDigest(String digest) {
        return new CertificateProfile(validity, backdate, keyAgreement, extendedKeyUsages, defaultKeyAlgorithm,
                allowedKeyAlgorithms, digest, csrSubject, requiredSubject, hsmDeviceKeys, hsmWrappingKey);
    }

    public CertificateProfile withCsrSubject(CsrSubject source) {
        return new CertificateProfile(validity, backdate, keyAgreement, extendedKeyUsages, defaultKeyAlgorithm,
                allowedKeyAlgorithms, signatureDigest, source, requiredSubject, hsmDeviceKeys, hsmWrappingKey);
    }

    /** What becomes of device keys made in a token: kept there, or wrapped under {@code wrappingKeyLabel}. */
    public CertificateProfile withHsmDeviceKeys(TokenKeyHandling handling, Optional<String> wrappingKeyLabel) {
        return new CertificateProfile(validity, backdate, keyAgreement, extendedKeyUsages, defaultKeyAlgorithm,
                allowedKeyAlgorithms, signatureDigest, csrSubject, requiredSubject, handling, wrappingKeyLabel);
    }

    /**
     * The same profile, requiring these subject attributes of every device: a device whose subject lacks one is
     * refused, so a JITP template may rely on them ({@code AWS::IoT::Certificate::Country} needs {@code C}).
     */
    public CertificateProfile withRequiredSubject(Set<AttributeType> attributes) {
        return new CertificateProfile(validity, backdate, keyAgreement, extendedKeyUsages, defaultKeyAlgorithm,
                allowedKeyAlgorithms, signatureDigest, csrSubject, attributes, hsmDeviceKeys, hsmWrappingKey);
    }

    /** The required attributes the subject lacks; empty when it has them all. */
    public List<AttributeType> missingFrom(SubjectName subject) {
        List<AttributeType> missing = new ArrayList<>();
        for (AttributeType type : requiredSubject) {
            if (subject.get(type).isEmpty()) {
                missing.add(type);
            }
        }
        return missing;
    }

    /**
     * Reads a profile from a {@code .yaml}, {@code .yml} or {@code .json} file.
     *
     * @throws ProfileException naming the file, the key and the fix
     */
    public static CertificateProfile load(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!(name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"))) {
            throw new ProfileException(file + ": a profile is a .yaml, .yml or .json file", file, null);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ProfileException("cannot read the profile " + file + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "): check the path", file, null, e);
        }
        JsonNode root;
        try {
            root = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().readTree(bytes);
        } catch (JacksonException e) {
            throw new ProfileException(file + " is not valid YAML/JSON: " + e.getOriginalMessage(), file, null, e);
        }
        CertificateProfile d = defaults();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return d;
        }
        if (!root.isObject()) {
            throw new ProfileException(file + ": a profile is a mapping of keys (" + String.join(", ", KEYS)
                    + ") to values", file, null);
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!KEYS.contains(e.getKey())) {
                throw new ProfileException(file + ": unknown key `" + e.getKey() + "`: the keys are "
                        + String.join(", ", KEYS) + " (check the spelling; durations are validity-days and backdate-seconds)",
                        file, e.getKey());
            }
            values.put(e.getKey(), e.getValue());
        }
        Reader r = new Reader(file, values);
        Duration validity = r.get("validity-days", n -> Duration.ofDays(r.wholeNumber("validity-days", n, 1, MAX_VALIDITY_DAYS,
                "whole days, e.g. validity-days: 3650")), d.validity());
        Duration backdate = r.get("backdate-seconds", n -> Duration.ofSeconds(r.wholeNumber("backdate-seconds", n, 0,
                MAX_BACKDATE_SECONDS, "whole seconds, e.g. backdate-seconds: 300")), d.backdate());
        boolean keyAgreement = r.get("key-agreement", n -> r.bool("key-agreement", n), d.keyAgreement());
        List<KeyPurpose> ekus = r.get("extended-key-usages", n -> r.list("extended-key-usages", n, s -> KeyPurpose.fromId(s)
                .orElseThrow(() -> r.error("extended-key-usages", "\"" + s + "\" is not a known extended key usage: use "
                        + KeyPurpose.validIds()))), d.extendedKeyUsages());
        KeyAlgorithm defaultKey = r.get("default-key", n -> r.key("default-key", r.string("default-key", n)),
                d.defaultKeyAlgorithm());
        Set<KeyAlgorithm> allowed = r.get("allowed-keys", n -> {
            List<KeyAlgorithm> list = r.list("allowed-keys", n, s -> r.key("allowed-keys", s));
            if (list.isEmpty()) {
                throw r.error("allowed-keys", "is empty: list at least one of " + KeyAlgorithm.validIds());
            }
            return EnumSet.copyOf(list);
        }, d.allowedKeyAlgorithms());
        String digest = r.get("signature-digest", n -> r.string("signature-digest", n), d.signatureDigest());
        CsrSubject csrSubject = r.get("csr-subject", n -> {
            String v = r.string("csr-subject", n);
            for (CsrSubject c : CsrSubject.values()) {
                if (c.id().equalsIgnoreCase(v)) {
                    return c;
                }
            }
            throw r.error("csr-subject", "must be manifest or csr (got " + v + ")");
        }, d.csrSubject());
        Set<AttributeType> required = r.get("required-subject", n -> {
            List<AttributeType> list = r.list("required-subject", n, a -> AttributeType.fromName(a).orElseThrow(() ->
                    r.error("required-subject", "names \"" + a + "\", which is not a subject attribute: use "
                            + String.join(", ", java.util.Arrays.stream(AttributeType.values()).map(AttributeType::shortName).toList()))));
            return list.isEmpty() ? Set.<AttributeType>of() : EnumSet.copyOf(list);
        }, d.requiredSubject());
        TokenKeyHandling hsmKeys = r.get("hsm-device-keys", n -> {
            String v = r.string("hsm-device-keys", n);
            for (TokenKeyHandling h : TokenKeyHandling.values()) {
                if (h.id().equalsIgnoreCase(v.strip())) {
                    return h;
                }
            }
            throw r.error("hsm-device-keys", "must be keep or wrap (got " + v + ")");
        }, d.hsmDeviceKeys());
        Optional<String> wrappingKey = r.get("hsm-wrapping-key", n -> Optional.of(r.string("hsm-wrapping-key", n).strip()),
                d.hsmWrappingKey());
        try {
            return new CertificateProfile(validity, backdate, keyAgreement, ekus, defaultKey, allowed, digest, csrSubject,
                    required, hsmKeys, wrappingKey);
        } catch (ProfileException e) {
            throw new ProfileException(file + ": " + e.getMessage(), file, e.key().orElse(null), e);
        }
    }

    private static String ids(Collection<KeyAlgorithm> algorithms) {
        return String.join(", ", algorithms.stream().map(KeyAlgorithm::id).toList());
    }

    /** Typed access to a profile file's values, with messages that name the file and key. */
    private record Reader(Path file, Map<String, JsonNode> values) {

        <T> T get(String key, Function<JsonNode, T> convert, T fallback) {
            JsonNode node = values.get(key);
            return node == null || node.isNull() ? fallback : convert.apply(node);
        }

        ProfileException error(String key, String problem) {
            return new ProfileException(file + ": `" + key + "` " + problem, file, key);
        }

        long wholeNumber(String key, JsonNode node, long min, long max, String example) {
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                long v = node.longValue();
                if (v >= min && v <= max) {
                    return v;
                }
            }
            throw error(key, "must be a number from " + min + " to " + max + " in " + example + " (got " + node + ")");
        }

        boolean bool(String key, JsonNode node) {
            if (!node.isBoolean()) {
                throw error(key, "must be true or false (got " + node + ")");
            }
            return node.booleanValue();
        }

        String string(String key, JsonNode node) {
            if (!node.isString()) {
                throw error(key, "must be a text value (got " + node + ")");
            }
            return node.stringValue();
        }

        KeyAlgorithm key(String key, String id) {
            try {
                return KeyAlgorithm.fromId(id);
            } catch (UnknownKeyAlgorithmException e) {
                throw error(key, "has " + e.getMessage());
            }
        }

        <T> List<T> list(String key, JsonNode node, Function<String, T> convert) {
            if (!node.isArray()) {
                throw error(key, "must be a list, e.g. " + key + ": [a, b] (got " + node + ")");
            }
            List<T> out = new ArrayList<>();
            for (JsonNode item : node.values()) {
                out.add(convert.apply(string(key, item)));
            }
            return out;
        }
    }
}
