package dev.keyline.aws;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.bouncycastle.asn1.x500.X500Name;

import dev.keyline.aws.RegistrationOutcome.Failed;
import dev.keyline.aws.RegistrationOutcome.Registered;
import dev.keyline.lint.CertificateParameter;
import dev.keyline.lint.CertificateSubject;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.AttributePayload;
import software.amazon.awssdk.services.iot.model.CreateThingResponse;
import software.amazon.awssdk.services.iot.model.DescribeThingResponse;
import software.amazon.awssdk.services.iot.model.RegisterThingResponse;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * Registers issued device identities with one {@link RegistrationTarget}, one device per call.
 * <p>
 * Every call is safe to repeat, so a device whose registration was cut off (a lost reply, a killed run) is simply
 * registered again: a certificate AWS already holds under the same id counts as registered, CreateThing with the
 * same settings succeeds, and a principal or policy already attached is not attached twice. Nothing that exists
 * is overwritten: a thing with other settings, or bound to another certificate, fails the device with the reason.
 * The policy is attached last, so a device that fails part-way holds no permissions.
 * <p>
 * Thread-safe: one Registrar per target, shared by all registering threads (the limits are per target).
 */
public final class Registrar {

    private final RegistrationTarget target;
    private final IotClient iot;
    private final PacedCaller caller;
    private final RegistrationStats stats;
    private final ThingResources resources;
    private final MonotonicClock clock;

    public Registrar(RegistrationTarget target, IotClient iot, OperationLimits limits, RetryPolicy retryPolicy) {
        this(target, iot, limits, retryPolicy, MonotonicClock.SYSTEM);
    }

    public Registrar(RegistrationTarget target, IotClient iot, OperationLimits limits, RetryPolicy retryPolicy,
            MonotonicClock clock) {
        this.target = Objects.requireNonNull(target, "target");
        this.iot = Objects.requireNonNull(iot, "iot");
        this.stats = new RegistrationStats();
        this.caller = new PacedCaller(Objects.requireNonNull(limits, "limits").asMap(), retryPolicy, clock, stats);
        this.resources = new ThingResources(target, iot, caller);
        this.clock = clock;
    }

    /**
     * Takes registrations with this target back ({@code keyline deregister}) with the same client, token buckets,
     * retries and counters as registering: one Registrar's calls, whichever way, share the target's quotas.
     */
    public Deregistrar deregistrar() {
        return new Deregistrar(target, iot, caller, clock);
    }

    /**
     * Whether this target puts its devices' things into their manifest {@code thing_groups}: per-call modes that
     * create the thing (AddThingToThingGroup), and template modes whose template declares the parameter
     * {@code ThingGroups}. Elsewhere there is no thing to put in a group, or the template does not take them.
     */
    public boolean appliesThingGroups() {
        return switch (target.mode()) {
            case WITH_CA, WITHOUT_CA -> target.createThing();
            case TEMPLATE, BULK_TASK -> target.template().map(t -> t.parameters().containsKey("ThingGroups")).orElse(false);
        };
    }

    /**
     * Whether this target gives its devices' things a type: per-call modes that create the thing (the device's
     * {@code thing_type}, else the target's {@code thing-type}), and template modes whose template declares
     * {@code ThingTypeName} (the device's {@code thing_type}).
     */
    public boolean appliesThingTypes() {
        return switch (target.mode()) {
            case WITH_CA, WITHOUT_CA -> target.createThing();
            case TEMPLATE, BULK_TASK -> target.template().map(t -> t.parameters().containsKey("ThingTypeName")).orElse(false);
        };
    }

    /**
     * Once per registration, before the target's first device: checks that the thing groups and types the devices
     * use exist in the account (DescribeThingGroup, DescribeThingType) and creates the missing ones if the target
     * says so; those the target does not apply ({@link #appliesThingGroups()}, {@link #appliesThingTypes()}) are
     * not looked at. The target's own {@code thing-type} is checked whenever it applies.
     *
     * @param groups the thing groups the devices to register name
     * @param types  the thing types of the devices to register (manifest {@code thing_type})
     * @return the groups and types created
     * @throws ThingResourceException naming the missing group or type (exit code 2), or a failed call
     */
    public PreparedResources prepare(Collection<String> groups, Collection<String> types) throws InterruptedException {
        Set<String> neededTypes = new TreeSet<>();
        if (appliesThingTypes()) {
            neededTypes.addAll(types);
            if (target.mode() == RegistrationMode.WITH_CA || target.mode() == RegistrationMode.WITHOUT_CA) {
                target.thingType().ifPresent(neededTypes::add);
            }
        }
        return resources.prepare(appliesThingGroups() ? groups : List.of(), neededTypes);
    }

    public RegistrationTarget target() {
        return target;
    }

    /** Calls made, throttles and faults seen so far, for progress and the run report. */
    public RegistrationStats stats() {
        return stats;
    }

    /**
     * Registers one device. AWS errors never escape: they become {@link Failed} with AWS's code and message.
     *
     * @throws InterruptedException when the thread is interrupted while waiting for a permit or a retry; the
     *                              device's state is then unknown and it is simply registered again next time
     */
    public RegistrationOutcome register(DeviceIdentity device) throws InterruptedException {
        Objects.requireNonNull(device, "device");
        try {
            return switch (target.mode()) {
                case WITH_CA, WITHOUT_CA -> registerCertificateAndThing(device);
                case TEMPLATE -> registerWithTemplate(device);
                case BULK_TASK -> throw new IllegalStateException("target " + target.name()
                        + " registers through the bulk registration task, not one device per call");
            };
        } catch (AwsCallFailedException e) {
            AwsError error = e.error();
            return new Failed(error.code(), e.operation().awsName() + ": " + error.message()
                    + (e.attempts() > 1 ? " (after " + e.attempts() + " attempts)" : ""), error.retryable());
        }
    }

    private RegistrationOutcome registerCertificateAndThing(DeviceIdentity device)
            throws AwsCallFailedException, InterruptedException {
        RegistrationOutcome certificate = registerCertificate(device);
        if (!(certificate instanceof Registered registered)) {
            return certificate;
        }
        Optional<String> thingArn = Optional.empty();
        boolean thingCreated = false;
        if (target.createThing()) {
            try {
                // Its principals before CreateThing: AWS answers CreateThing alike for a new thing and for an identical one
                // that existed, and only a thing this call made is Keyline's to delete on deregistration. The same
                // number of calls as listing after CreateThing, which the check against another certificate needs anyway.
                Optional<List<String>> existing = principalsOfExisting(device.thingName());
                thingArn = Optional.of(createThing(device));
                attachToThing(device, registered.certificateArn(), existing.orElse(List.of()));
                thingCreated = existing.isEmpty();
                addToGroups(device);
            } catch (Refused refused) {
                return partly(refused.failed, registered);
            }
        }
        if (target.policyName().isPresent()) {
            String policy = target.policyName().get();
            caller.call(IotOperation.ATTACH_POLICY, () -> iot.attachPolicy(r -> r.policyName(policy).target(registered.certificateArn())));
        }
        return new Registered(registered.certificateArn(), registered.certificateId(), thingArn, thingCreated);
    }

    /** RegisterCertificate(WithoutCA); AWS's ResourceAlreadyExists for the same certificate id is success. */
    private RegistrationOutcome registerCertificate(DeviceIdentity device) throws AwsCallFailedException, InterruptedException {
        String pem = device.certificatePem();
        String status = target.certificateStatus().name();
        try {
            if (target.mode() == RegistrationMode.WITH_CA) {
                String caPem = device.caCertificatePem().or(target::caCertificatePem).orElseThrow();
                var response = caller.call(IotOperation.REGISTER_CERTIFICATE,
                        () -> iot.registerCertificate(r -> r.certificatePem(pem).caCertificatePem(caPem).status(status)));
                return checked(device, response.certificateArn(), response.certificateId());
            }
            var response = caller.call(IotOperation.REGISTER_CERTIFICATE_WITHOUT_CA,
                    () -> iot.registerCertificateWithoutCA(r -> r.certificatePem(pem).status(status)));
            return checked(device, response.certificateArn(), response.certificateId());
        } catch (AwsCallFailedException e) {
            if (e.sdkException() instanceof ResourceAlreadyExistsException exists) {
                // Registered before: by an earlier run, or by this call's attempt whose reply was lost.
                return checked(device, exists.resourceArn(), exists.resourceId());
            }
            throw e;
        }
    }

    private static RegistrationOutcome checked(DeviceIdentity device, String arn, String certificateId) {
        if (!device.certificateId().equals(certificateId) || arn == null || !arn.endsWith(":cert/" + device.certificateId())) {
            return new Failed(Failed.UNEXPECTED_RESPONSE, "AWS answered with certificate " + certificateId + " (" + arn
                    + ") for certificate " + device.certificateId() + ": not recorded as registered", false);
        }
        return new Registered(arn, certificateId, Optional.empty());
    }

    /** CreateThing; returns the thing ARN, or refuses naming the settings that differ. */
    private String createThing(DeviceIdentity device) throws AwsCallFailedException, InterruptedException, Refused {
        Optional<String> type = device.thingType().or(target::thingType);
        try {
            CreateThingResponse created = caller.call(IotOperation.CREATE_THING, () -> iot.createThing(r -> {
                r.thingName(device.thingName());
                type.ifPresent(r::thingTypeName);
                if (!device.attributes().isEmpty()) {
                    r.attributePayload(AttributePayload.builder().attributes(device.attributes()).build());
                }
            }));
            return created.thingArn();
        } catch (AwsCallFailedException e) {
            if (!(e.sdkException() instanceof ResourceAlreadyExistsException)) {
                throw e;
            }
            // CreateThing is idempotent with the same settings, so this thing has other ones: say which.
            DescribeThingResponse existing = caller.call(IotOperation.DESCRIBE_THING, () -> iot.describeThing(r -> r.thingName(device.thingName())));
            throw new Refused(new Failed(Failed.THING_CONFLICT, "thing " + device.thingName() + " already exists with type "
                    + Optional.ofNullable(existing.thingTypeName()).orElse("(none)") + " and attributes "
                    + new LinkedHashMap<>(existing.attributes()) + "; this device wants type " + type.orElse("(none)")
                    + " and attributes " + device.attributes() + ". Not overwritten: rename the thing or align the manifest", false));
        }
    }

    /** The certificates attached to the thing, or empty when there is no such thing (ListThingPrincipals: not found). */
    private Optional<List<String>> principalsOfExisting(String thingName) throws AwsCallFailedException, InterruptedException {
        try {
            return Optional.of(ThingPrincipals.list(caller, iot, thingName).stream().filter(p -> p.contains(":cert/")).toList());
        } catch (AwsCallFailedException e) {
            if (e.sdkException() instanceof ResourceNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Attaches the certificate to the thing unless it is already; refuses a thing bound to another certificate.
     *
     * @param certificates the certificates attached to the thing before CreateThing (none for a thing it made)
     */
    private void attachToThing(DeviceIdentity device, String certificateArn, List<String> certificates)
            throws AwsCallFailedException, InterruptedException, Refused {
        List<String> others = certificates.stream().filter(p -> !p.equals(certificateArn)).toList();
        if (!others.isEmpty()) {
            throw new Refused(new Failed(Failed.THING_BOUND_TO_OTHER_CERTIFICATE, "thing " + device.thingName()
                    + " is already attached to " + others + "; not attaching " + certificateArn
                    + " as well. Detach the old certificate, or give this device another thing name", false));
        }
        if (!certificates.contains(certificateArn)) {
            caller.call(IotOperation.ATTACH_THING_PRINCIPAL,
                    () -> iot.attachThingPrincipal(r -> r.thingName(device.thingName()).principal(certificateArn)));
        }
    }

    /**
     * AddThingToThingGroup for each of the device's groups, before the policy (a device whose grouping failed
     * holds no permission). A group that does not exist fails the device with AWS's message; {@link #prepare}
     * has checked them all before the first device. A thing already in a group is added again only when the
     * device is registered again (it was FAILED); that repeat is safe in the emulator, and assumed safe in AWS
     * (see aws-iot.md): a device that is REGISTERED is never sent again.
     */
    private void addToGroups(DeviceIdentity device) throws AwsCallFailedException, InterruptedException {
        for (String group : device.thingGroups()) {
            caller.call(IotOperation.ADD_THING_TO_THING_GROUP,
                    () -> iot.addThingToThingGroup(r -> r.thingGroupName(group).thingName(device.thingName())));
        }
    }

    /** An existing resource this device must not overwrite: ends the device's registration as {@link #failed}. */
    private static final class Refused extends Exception {
        private final Failed failed;

        Refused(Failed failed) {
            super(failed.message(), null, false, false);
            this.failed = failed;
        }
    }

    /** A failure after the certificate was registered: the message says it is there, so nobody looks for it twice. */
    private static Failed partly(Failed failed, Registered certificate) {
        return new Failed(failed.errorCode(), failed.message() + " (certificate " + certificate.certificateArn()
                + " is registered, with no thing attached and no policy)", failed.retryable());
    }

    private RegistrationOutcome registerWithTemplate(DeviceIdentity device) throws AwsCallFailedException, InterruptedException {
        ProvisioningTemplate template = target.template().orElseThrow();
        Map<String, String> parameters = template.parametersFor(templateValues(device));
        RegisterThingResponse response = caller.call(IotOperation.REGISTER_THING,
                () -> iot.registerThing(r -> r.templateBody(template.body()).parameters(parameters)));
        Map<String, String> arns = response.resourceArns();
        String certificateArn = arns.get("certificate");
        if (certificateArn == null) {
            return new Failed(Failed.UNEXPECTED_RESPONSE, "RegisterThing returned no certificate ARN (resources " + arns.keySet()
                    + "): the template must have an AWS::IoT::Certificate resource for this device's certificate", false);
        }
        RegistrationOutcome checked = checked(device, certificateArn, certificateArn.substring(certificateArn.lastIndexOf('/') + 1));
        if (checked instanceof Registered registered) {
            return new Registered(registered.certificateArn(), registered.certificateId(), Optional.ofNullable(arns.get("thing")));
        }
        return checked;
    }

    /**
     * What a template can reference for a device: the values {@code keyline lint} checks a template against
     * ({@link dev.keyline.lint.DeviceParameters}), so a device that passed the lint is sent exactly what the lint
     * resolved: {@code AWS::IoT::Certificate::*} from the certificate's subject, AWS-escaped, and {@code Id} = the
     * certificate id; any other name from the device's attributes first, else ThingName, DeviceId, ThingTypeName,
     * ThingGroups (comma-joined), SerialNumber (the subject's serialNumber attribute). Then, registration-only and under the attributes too:
     * CertificatePem, CertificateId and CACertificatePem, for the template's AWS::IoT::Certificate resource.
     */
    static Map<String, String> templateValues(DeviceIdentity device) {
        CertificateSubject subject = CertificateSubject.of(subjectOf(device));
        Map<String, String> values = new LinkedHashMap<>();
        for (CertificateParameter parameter : CertificateParameter.values()) {
            if (parameter == CertificateParameter.ID) {
                values.put(parameter.parameterName(), device.certificateId());
            } else {
                subject.asAwsSees(parameter).ifPresent(v -> values.put(parameter.parameterName(), v));
            }
        }
        values.put("CertificatePem", device.certificatePem());
        values.put("CertificateId", device.certificateId());
        device.caCertificatePem().ifPresent(ca -> values.put("CACertificatePem", ca));
        values.put("ThingName", device.thingName());
        values.put("DeviceId", device.deviceId());
        device.thingType().ifPresent(t -> values.put("ThingTypeName", t));
        if (!device.thingGroups().isEmpty()) {
            // One string, as every template parameter: the template splits it ({"Fn::Split": [",", {"Ref": "ThingGroups"}]}).
            values.put("ThingGroups", String.join(",", device.thingGroups()));
        }
        subject.raw(CertificateParameter.SERIAL_NUMBER).ifPresent(s -> values.put("SerialNumber", s));
        values.putAll(device.attributes()); // the manifest's attributes win, as in the lint
        return values;
    }

    private static X500Name subjectOf(DeviceIdentity device) {
        return org.bouncycastle.asn1.x509.Certificate.getInstance(device.certificateDer()).getSubject();
    }

    @Override
    public String toString() {
        return "Registrar[" + target.name() + ", " + target.mode().id() + "]";
    }
}
