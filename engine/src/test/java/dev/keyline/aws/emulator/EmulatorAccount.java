package dev.keyline.aws.emulator;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * One AWS account in one region: its CAs, certificates, things, principals and policy attachments, with AWS IoT's
 * rules for each. Thread-safe: every operation holds the account's lock, so each is atomic as in AWS.
 */
final class EmulatorAccount {

    static final Set<String> CERTIFICATE_STATUSES = Set.of("ACTIVE", "INACTIVE", "REVOKED");

    /**
     * A registered CA certificate as DescribeCACertificate shows it.
     *
     * @param autoRegistration   ENABLE or DISABLE
     * @param registrationConfig templateBody / roleArn / templateName as given (absent members left out)
     * @param verificationPem    the verification certificate it was registered with (DEFAULT), else null
     */
    record Ca(String id, String arn, X509Certificate certificate, String pem, String mode, String status,
              String autoRegistration, Map<String, String> registrationConfig, String verificationPem, Instant created,
              Instant lastModified, int version) {

        Ca changed(String newStatus, String newAutoRegistration, Map<String, String> newConfig) {
            return new Ca(id, arn, certificate, pem, mode, newStatus, newAutoRegistration, Map.copyOf(newConfig),
                    verificationPem, created, Instant.now(), version + 1);
        }
    }

    record Cert(String id, String arn, String pem, Optional<String> caId, String status, String mode, Instant created) {
        Cert withStatus(String newStatus) {
            return new Cert(id, arn, pem, caId, newStatus, mode, created);
        }
    }

    record Thing(String name, String arn, String id, Optional<String> type, Map<String, String> attributes, long version) {
    }

    /** A thing type or a static thing group: its name, ARN and id (both kinds are looked up by name). */
    record Named(String name, String arn, String id) {
    }

    final String accountId;
    final String region;
    private final Set<String> policies;
    /** Thing types by name: those the builder seeded, and those CreateThingType made. */
    private final Map<String, Named> thingTypes = new LinkedHashMap<>();
    private final Map<String, Named> thingGroups = new LinkedHashMap<>();
    /** Thing types deprecated (DeprecateThingType): described as deprecated, and CreateThing refuses them. */
    private final Set<String> deprecatedTypes = new LinkedHashSet<>();
    /** Thing name to the groups it is in, in the order it was added to them. */
    private final Map<String, Set<String>> groupsOfThing = new LinkedHashMap<>();
    /** This account's registration code in this region; null after DeleteRegistrationCode until the next Get. */
    private String registrationCode;
    private final java.util.function.Supplier<String> codes;
    private final Map<String, Ca> cas = new LinkedHashMap<>();
    private final Map<String, Cert> certificates = new LinkedHashMap<>();
    private final Map<String, Thing> things = new LinkedHashMap<>();
    private final Map<String, Set<String>> thingPrincipals = new LinkedHashMap<>();
    private final Map<String, Set<String>> policyTargets = new LinkedHashMap<>();
    /**
     * Detaches that AWS has accepted but not yet shows (thing name to principal to System.nanoTime() deadline): until
     * then the principal is still listed, and DeleteThing and DeleteCertificate still see it attached, as users of the
     * real service find right after DetachThingPrincipal.
     */
    private final Map<String, Map<String, Long>> detaching = new LinkedHashMap<>();
    /** How long a detach takes to show; zero: at once. */
    private final java.util.function.Supplier<java.time.Duration> detachDelay;
    /** Things DeleteThing removed, by name, with how many times (a thing re-created and deleted again counts twice). */
    private final Map<String, Integer> thingDeletions = new LinkedHashMap<>();

    EmulatorAccount(String accountId, String region, Set<String> policies, Set<String> thingTypes) {
        this(accountId, region, policies, thingTypes, null);
    }

    /** @param codes what GetRegistrationCode answers when it makes a new code; null: 64 hex characters, as AWS */
    EmulatorAccount(String accountId, String region, Set<String> policies, Set<String> thingTypes,
                    java.util.function.Supplier<String> codes) {
        this(accountId, region, policies, thingTypes, Set.of(), codes);
    }

    /** @param thingGroups static thing groups that exist from the start */
    EmulatorAccount(String accountId, String region, Set<String> policies, Set<String> thingTypes, Set<String> thingGroups,
                    java.util.function.Supplier<String> codes) {
        this(accountId, region, policies, thingTypes, thingGroups, codes, () -> java.time.Duration.ZERO);
    }

    /** @param detachDelay how long a DetachThingPrincipal takes to show, asked at each detach */
    EmulatorAccount(String accountId, String region, Set<String> policies, Set<String> thingTypes, Set<String> thingGroups,
                    java.util.function.Supplier<String> codes, java.util.function.Supplier<java.time.Duration> detachDelay) {
        this.detachDelay = detachDelay;
        this.codes = codes;
        this.accountId = accountId;
        this.region = region;
        this.policies = Set.copyOf(policies);
        thingTypes.forEach(t -> this.thingTypes.put(t, new Named(t, arn("thingtype", t), UUID.randomUUID().toString())));
        thingGroups.forEach(g -> this.thingGroups.put(g, new Named(g, arn("thinggroup", g), UUID.randomUUID().toString())));
    }

    private String arn(String kind, String id) {
        return "arn:aws:iot:" + region + ":" + accountId + ":" + kind + "/" + id;
    }

    /** GetRegistrationCode: the same code on every call until it is deleted, then a new one. */
    synchronized String registrationCode() {
        if (registrationCode == null && codes != null) {
            registrationCode = codes.get();
        }
        if (registrationCode == null) {
            byte[] code = new byte[32];
            new SecureRandom().nextBytes(code);
            registrationCode = HexFormat.of().formatHex(code);
        }
        return registrationCode;
    }

    /** DeleteRegistrationCode: the code is gone; verification certificates made with it no longer register a CA. */
    synchronized void deleteRegistrationCode() {
        registrationCode = null;
    }

    // ---------------------------------------------------------------- CA certificates

    /**
     * RegisterCACertificate. The order of the checks follows what AWS documents: the CA certificate itself, then
     * whether this account already holds it, then the mode's rules; in DEFAULT mode the verification certificate's
     * CN must be this account's current registration code (RegistrationCodeValidationException otherwise) and it must
     * be signed by the CA's key (CertificateValidationException otherwise).
     *
     * @param defaultModeElsewhere whether another account of this region holds the CA in DEFAULT mode
     */
    synchronized Ca registerCa(String caPem, String verificationPem, String mode, boolean setAsActive,
                               boolean allowAutoRegistration, Map<String, String> registrationConfig, boolean defaultModeElsewhere) {
        X509Certificate ca = parse(caPem, "CA certificate");
        if (ca.getBasicConstraints() < 0) {
            throw IotError.certificateValidation("The certificate is not a CA certificate");
        }
        checkValidity(ca);
        String id = idOf(ca);
        String arn = arn("cacert", id);
        if (cas.containsKey(id)) {
            throw IotError.alreadyExists("The certificate is already provisioned or registered", id, arn);
        }
        checkRegistrationConfig(registrationConfig);
        if ("SNI_ONLY".equals(mode)) {
            if (verificationPem != null && !verificationPem.isEmpty()) {
                throw IotError.invalidRequest("verificationCertificate must be empty when certificateMode is SNI_ONLY");
            }
        } else if ("DEFAULT".equals(mode)) {
            if (verificationPem == null || verificationPem.isEmpty()) {
                throw IotError.invalidRequest("verificationCertificate is required when certificateMode is DEFAULT");
            }
            if (defaultModeElsewhere) {
                throw IotError.alreadyExists("The CA certificate is already registered in DEFAULT mode by another account "
                        + "in this region", id, arn);
            }
            X509Certificate verification = parse(verificationPem, "verification certificate");
            checkValidity(verification);
            if (registrationCode == null || !registrationCode.equals(commonName(verification))) {
                throw new IotError(400, "RegistrationCodeValidationException", "The registration code is invalid: the "
                        + "verification certificate's common name is not this account's registration code");
            }
            if (!signedBy(verification, ca)) {
                throw IotError.certificateValidation("The verification certificate is not signed by the CA certificate's key");
            }
        } else {
            throw IotError.invalidRequest("certificateMode must be DEFAULT or SNI_ONLY");
        }
        Instant now = Instant.now();
        Ca registered = new Ca(id, arn, ca, caPem, mode, setAsActive ? "ACTIVE" : "INACTIVE",
                allowAutoRegistration ? "ENABLE" : "DISABLE", Map.copyOf(registrationConfig),
                "DEFAULT".equals(mode) ? verificationPem : null, now, now, 1);
        cas.put(id, registered);
        return registered;
    }

    /** UpdateCACertificate: status ACTIVE/INACTIVE, auto-registration ENABLE/DISABLE, registration config. */
    synchronized Ca updateCa(String id, String newStatus, String newAutoRegistration, Map<String, String> registrationConfig,
                             boolean removeAutoRegistration) {
        Ca ca = describeCa(id);
        if (newStatus != null && !Set.of("ACTIVE", "INACTIVE").contains(newStatus)) {
            throw IotError.invalidRequest("newStatus " + newStatus + " cannot be set: use ACTIVE or INACTIVE");
        }
        if (newAutoRegistration != null && !Set.of("ENABLE", "DISABLE").contains(newAutoRegistration)) {
            throw IotError.invalidRequest("newAutoRegistrationStatus " + newAutoRegistration + " is not ENABLE or DISABLE");
        }
        Map<String, String> config = ca.registrationConfig();
        if (registrationConfig != null) {
            checkRegistrationConfig(registrationConfig);
            config = registrationConfig;
        }
        String auto = removeAutoRegistration ? "DISABLE" : newAutoRegistration != null ? newAutoRegistration : ca.autoRegistration();
        Ca updated = ca.changed(newStatus != null ? newStatus : ca.status(), auto, config);
        cas.put(id, updated);
        return updated;
    }

    /**
     * DeleteCACertificate. AWS's API reference lists CertificateStateException for it; that an ACTIVE CA must first be
     * made INACTIVE is how AWS's guide deregisters one (update to INACTIVE, then delete), so the emulator insists.
     */
    synchronized void deleteCa(String id) {
        Ca ca = describeCa(id);
        if ("ACTIVE".equals(ca.status())) {
            throw new IotError(406, "CertificateStateException", "The CA certificate " + id + " is ACTIVE: set it INACTIVE "
                    + "before deleting it");
        }
        cas.remove(id);
    }

    /** registrationConfig: a templateBody must be JSON and come with the roleArn AWS IoT assumes to provision. */
    private static void checkRegistrationConfig(Map<String, String> config) {
        String body = config.get("templateBody");
        if (body == null) {
            return;
        }
        try {
            tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
        } catch (RuntimeException e) {
            throw IotError.invalidRequest("Invalid registration template. Template format error: JSON not well-formed.");
        }
        if (config.get("roleArn") == null || config.get("roleArn").isBlank()) {
            throw IotError.invalidRequest("registrationConfig.roleArn is required with a templateBody");
        }
    }

    synchronized boolean holdsCaInDefaultMode(String caId) {
        Ca ca = cas.get(caId);
        return ca != null && "DEFAULT".equals(ca.mode());
    }

    /** The CA with that id, if registered here. */
    synchronized Optional<Ca> ca(String id) {
        return Optional.ofNullable(cas.get(id));
    }

    synchronized Ca describeCa(String id) {
        Ca ca = cas.get(id);
        if (ca == null) {
            throw IotError.notFound("CA certificate " + id + " does not exist");
        }
        return ca;
    }

    // ---------------------------------------------------------------- device certificates

    /** RegisterCertificate: the issuing CA must be registered and ACTIVE here, and must have signed the certificate. */
    synchronized Cert registerCertificate(String pem, String caPem, String status) {
        X509Certificate certificate = parse(pem, "certificate");
        checkStatus(status);
        Ca ca;
        if (caPem != null && !caPem.isEmpty()) {
            String caId = idOf(parse(caPem, "CA certificate"));
            ca = cas.get(caId);
            if (ca == null) {
                throw IotError.certificateValidation("The CA certificate " + caId + " is not registered in this account");
            }
        } else {
            List<Ca> candidates = cas.values().stream()
                    .filter(c -> c.certificate().getSubjectX500Principal().equals(certificate.getIssuerX500Principal())).toList();
            if (candidates.isEmpty()) {
                throw IotError.certificateValidation("The certificate is not signed by a CA registered in this account");
            }
            if (candidates.size() > 1) {
                throw new IotError(409, "CertificateConflictException",
                        "Several registered CAs have the issuer's subject: give caCertificatePem");
            }
            ca = candidates.get(0);
        }
        if (!"ACTIVE".equals(ca.status())) {
            throw IotError.certificateValidation("The CA certificate " + ca.id() + " is not ACTIVE");
        }
        if (!signedBy(certificate, ca.certificate())) {
            throw IotError.certificateValidation("The certificate is not signed by the CA certificate " + ca.id());
        }
        return addCertificate(certificate, pem, Optional.of(ca.id()), status, ca.mode());
    }

    /** RegisterCertificateWithoutCA: no CA link, SNI_ONLY. */
    synchronized Cert registerCertificateWithoutCa(String pem, String status) {
        X509Certificate certificate = parse(pem, "certificate");
        checkStatus(status);
        return addCertificate(certificate, pem, Optional.empty(), status, "SNI_ONLY");
    }

    private Cert addCertificate(X509Certificate certificate, String pem, Optional<String> caId, String status, String mode) {
        checkValidity(certificate);
        if (certificate.getPublicKey() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
            throw IotError.certificateValidation("The certificate's RSA key is shorter than 2048 bits");
        }
        String id = idOf(certificate);
        String arn = arn("cert", id);
        if (certificates.containsKey(id)) {
            throw IotError.alreadyExists("The certificate is already provisioned or registered", id, arn);
        }
        Cert cert = new Cert(id, arn, pem, caId, status, mode, Instant.now());
        certificates.put(id, cert);
        return cert;
    }

    /** The certificate with that id, if registered. */
    synchronized Optional<Cert> certificate(String id) {
        return Optional.ofNullable(certificates.get(id));
    }

    synchronized Cert describeCertificate(String id) {
        return certificate(id).orElseThrow(() -> IotError.notFound("Certificate " + id + " does not exist"));
    }

    synchronized List<Cert> certificates() {
        return List.copyOf(certificates.values());
    }

    synchronized int certificateCount() {
        return certificates.size();
    }

    synchronized void updateCertificate(String id, String newStatus) {
        Cert cert = describeCertificate(id);
        if (newStatus == null || !CERTIFICATE_STATUSES.contains(newStatus)) {
            throw IotError.invalidRequest("newStatus " + newStatus + " cannot be set: use ACTIVE, INACTIVE or REVOKED");
        }
        if ("REVOKED".equals(cert.status()) && !"REVOKED".equals(newStatus)) {
            throw new IotError(406, "CertificateStateException", "The certificate is revoked and cannot change status");
        }
        certificates.put(id, cert.withStatus(newStatus));
    }

    /**
     * DeleteCertificate, refused as AWS refuses it: an ACTIVE certificate (CertificateStateException, the message
     * Terraform and aws-nuke users report), one still attached to a thing (DeleteConflictException, a detach that
     * has not shown yet included), and one with policies attached unless {@code forceDelete}.
     */
    synchronized void deleteCertificate(String id, boolean forceDelete) {
        Cert cert = describeCertificate(id);
        if ("ACTIVE".equals(cert.status())) {
            throw new IotError(406, "CertificateStateException", "Certificate must be deactivated (not ACTIVE) before deletion. Id: " + id);
        }
        settleDetaches();
        boolean onThing = thingPrincipals.values().stream().anyMatch(p -> p.contains(cert.arn()));
        if (onThing) {
            throw new IotError(409, "DeleteConflictException", "Things must be detached before deletion (arn: " + cert.arn() + ")");
        }
        if (!policiesOf(cert.arn()).isEmpty()) {
            if (!forceDelete) {
                throw new IotError(409, "DeleteConflictException", "Certificate policies must be detached before deletion (arn: "
                        + cert.arn() + ")");
            }
            policyTargets.values().forEach(t -> t.remove(cert.arn()));
        }
        certificates.remove(id);
    }

    // ---------------------------------------------------------------- things

    /** CreateThing: idempotent with the same type and attributes; otherwise ResourceAlreadyExists. */
    synchronized Thing createThing(String name, Optional<String> type, Map<String, String> attributes) {
        checkThingName(name);
        type.ifPresent(t -> {
            if (!thingTypes.containsKey(t)) {
                throw IotError.notFound("Thing type " + t + " does not exist");
            }
            if (deprecatedTypes.contains(t)) {
                throw IotError.invalidRequest("Can not create new thing with deprecated thing type " + t);
            }
        });
        Thing existing = things.get(name);
        if (existing != null) {
            if (existing.type().equals(type) && existing.attributes().equals(attributes)) {
                return existing;
            }
            throw IotError.alreadyExists("Thing " + name + " already exists in account with different attributes",
                    existing.id(), existing.arn());
        }
        Thing thing = new Thing(name, arn("thing", name), UUID.randomUUID().toString(), type, Map.copyOf(attributes), 1);
        things.put(name, thing);
        return thing;
    }

    synchronized Thing describeThing(String name) {
        Thing thing = things.get(name);
        if (thing == null) {
            throw IotError.notFound("Thing " + name + " cannot be found.");
        }
        return thing;
    }

    synchronized Optional<Thing> thing(String name) {
        return Optional.ofNullable(things.get(name));
    }

    synchronized void attachThingPrincipal(String thingName, String principal) {
        describeThing(thingName);
        requireCertificateArn(principal);
        thingPrincipals.computeIfAbsent(thingName, n -> new LinkedHashSet<>()).add(principal);
    }

    synchronized List<String> thingPrincipals(String thingName) {
        describeThing(thingName);
        settleDetaches();
        return List.copyOf(thingPrincipals.getOrDefault(thingName, Set.of()));
    }

    /**
     * DetachThingPrincipal: the thing must exist; a principal that is not attached is no error (UNCONFIRMED: AWS's
     * reference names no error for it). The detach shows after the account's detach delay.
     */
    synchronized void detachThingPrincipal(String thingName, String principal) {
        describeThing(thingName);
        if (principal == null || principal.isEmpty()) {
            throw IotError.invalidRequest("principal is required (header x-amzn-principal)");
        }
        settleDetaches();
        if (!thingPrincipals.getOrDefault(thingName, Set.of()).contains(principal)) {
            return;
        }
        long delay = detachDelay.get().toNanos();
        if (delay <= 0) {
            thingPrincipals.get(thingName).remove(principal);
        } else {
            detaching.computeIfAbsent(thingName, t -> new LinkedHashMap<>()).putIfAbsent(principal, System.nanoTime() + delay);
        }
    }

    /** Carries out the detaches whose delay has passed. */
    private void settleDetaches() {
        long now = System.nanoTime();
        detaching.forEach((thing, principals) -> principals.entrySet().removeIf(e -> {
            if (now - e.getValue() < 0) {
                return false;
            }
            thingPrincipals.getOrDefault(thing, new LinkedHashSet<>()).remove(e.getKey());
            return true;
        }));
        detaching.values().removeIf(Map::isEmpty);
    }

    /**
     * DeleteThing: a thing that does not exist is no error, as AWS documents ("Returns successfully with no error if
     * the deletion is successful or you specify a thing that doesn't exist"); one with a principal still attached is
     * refused with AWS's InvalidRequestException (the message users report).
     */
    synchronized void deleteThing(String thingName) {
        checkThingName(thingName);
        if (!things.containsKey(thingName)) {
            return;
        }
        settleDetaches();
        if (!thingPrincipals.getOrDefault(thingName, Set.of()).isEmpty()) {
            throw IotError.invalidRequest("Cannot delete. Thing " + thingName + " is still attached to one or more principals");
        }
        things.remove(thingName);
        thingPrincipals.remove(thingName);
        groupsOfThing.remove(thingName);
        thingDeletions.merge(thingName, 1, Integer::sum);
    }

    /** How many times DeleteThing removed a thing of that name. */
    synchronized int thingDeletions(String thingName) {
        return thingDeletions.getOrDefault(thingName, 0);
    }

    synchronized Map<String, Integer> thingDeletions() {
        return Map.copyOf(thingDeletions);
    }

    // ---------------------------------------------------------------- policies

    synchronized void attachPolicy(String policyName, String target) {
        if (!policies.contains(policyName)) {
            throw IotError.notFound("Policy " + policyName + " does not exist");
        }
        requireCertificateArn(target);
        policyTargets.computeIfAbsent(policyName, p -> new LinkedHashSet<>()).add(target);
    }

    /** DetachPolicy: the policy must exist; a certificate it is not attached to is no error (UNCONFIRMED). */
    synchronized void detachPolicy(String policyName, String target) {
        if (!policies.contains(policyName)) {
            throw IotError.notFound("Policy " + policyName + " does not exist");
        }
        requireCertificateArn(target);
        Set<String> targets = policyTargets.get(policyName);
        if (targets != null) {
            targets.remove(target);
        }
    }

    synchronized List<String> policiesOf(String target) {
        List<String> attached = new ArrayList<>();
        policyTargets.forEach((policy, targets) -> {
            if (targets.contains(target)) {
                attached.add(policy);
            }
        });
        return attached;
    }

    synchronized String policyArn(String policyName) {
        if (!policies.contains(policyName)) {
            throw IotError.notFound("Policy " + policyName + " does not exist");
        }
        return arn("policy", policyName);
    }

    synchronized boolean hasPolicy(String policyName) {
        return policies.contains(policyName);
    }

    synchronized boolean hasThingType(String type) {
        return thingTypes.containsKey(type);
    }

    // ---------------------------------------------------------------- thing types and groups

    /** DescribeThingType: ResourceNotFound for a type the account does not have. */
    synchronized Named describeThingType(String name) {
        Named type = thingTypes.get(name);
        if (type == null) {
            throw IotError.notFound("Thing type " + name + " is not found");
        }
        return type;
    }

    /** CreateThingType: an existing type of that name is answered as it is (the emulator keeps no type properties). */
    synchronized Named createThingType(String name) {
        checkResourceName(name, "thingTypeName");
        return thingTypes.computeIfAbsent(name, n -> new Named(n, arn("thingtype", n), UUID.randomUUID().toString()));
    }

    synchronized boolean isDeprecated(String type) {
        return deprecatedTypes.contains(type);
    }

    /** DeprecateThingType: the type stays, but no new thing may use it. */
    synchronized void deprecateThingType(String name) {
        describeThingType(name);
        deprecatedTypes.add(name);
    }

    synchronized Named describeThingGroup(String name) {
        Named group = thingGroups.get(name);
        if (group == null) {
            throw IotError.notFound("Thing group " + name + " cannot be found.");
        }
        return group;
    }

    /**
     * CreateThingGroup: idempotent for a group of that name, as AWS is with the same properties (the emulator keeps
     * none; a real AWS answers ResourceAlreadyExists when the properties differ).
     */
    synchronized Named createThingGroup(String name) {
        checkResourceName(name, "thingGroupName");
        return thingGroups.computeIfAbsent(name, n -> new Named(n, arn("thinggroup", n), UUID.randomUUID().toString()));
    }

    /** AddThingToThingGroup: both must exist; a thing already in the group stays in it once. */
    synchronized void addThingToThingGroup(String groupName, String thingName) {
        describeThingGroup(groupName);
        describeThing(thingName);
        groupsOfThing.computeIfAbsent(thingName, n -> new LinkedHashSet<>()).add(groupName);
    }

    synchronized List<String> groupsOf(String thingName) {
        return List.copyOf(groupsOfThing.getOrDefault(thingName, Set.of()));
    }

    synchronized boolean hasThingGroup(String name) {
        return thingGroups.containsKey(name);
    }

    private void requireCertificateArn(String arn) {
        String prefix = arn("cert", "");
        if (arn == null || !arn.startsWith(prefix) || !certificates.containsKey(arn.substring(prefix.length()))) {
            throw IotError.notFound("Principal " + arn + " does not exist in this account");
        }
    }

    // ---------------------------------------------------------------- helpers

    static void checkThingName(String name) {
        if (name == null || !name.matches("[a-zA-Z0-9:_-]{1,128}")) {
            throw IotError.invalidRequest("1 validation error detected: Value '" + name
                    + "' at 'thingName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+");
        }
    }

    private static void checkResourceName(String name, String member) {
        if (name == null || !name.matches("[a-zA-Z0-9:_-]{1,128}")) {
            throw IotError.invalidRequest("1 validation error detected: Value '" + name + "' at '" + member
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9:_-]+");
        }
    }

    private static void checkStatus(String status) {
        if (status != null && !CERTIFICATE_STATUSES.contains(status)) {
            throw IotError.invalidRequest("status " + status + " is not allowed here");
        }
    }

    static X509Certificate parse(String pem, String what) {
        if (pem == null || pem.isBlank()) {
            throw IotError.invalidRequest(what + " is missing");
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | RuntimeException e) {
            throw IotError.certificateValidation("The " + what + " could not be parsed: " + e.getMessage());
        }
    }

    private static void checkValidity(X509Certificate certificate) {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw IotError.certificateValidation("The certificate is outside its validity period: " + e.getMessage());
        }
    }

    static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
        try {
            certificate.verify(ca.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static String idOf(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return Objects.toString(rdn.getValue());
                }
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }
}
