package dev.keyline.aws;

import static dev.keyline.aws.EmulatorFixture.ACCOUNT_A;
import static dev.keyline.aws.EmulatorFixture.ACCOUNT_B;
import static dev.keyline.aws.EmulatorFixture.KEY_A;
import static dev.keyline.aws.EmulatorFixture.KEY_B;
import static dev.keyline.aws.EmulatorFixture.POLICY;
import static dev.keyline.aws.EmulatorFixture.THING_TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.keyline.aws.RegistrationOutcome.Failed;
import dev.keyline.aws.RegistrationOutcome.Registered;
import dev.keyline.aws.emulator.Faults;
import dev.keyline.aws.emulator.IotEmulator;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateMode;

class RegistrarTest {

    static final RetryPolicy FAST_RETRIES = new RetryPolicy(6, new ExponentialJitterBackoff(
            Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofMillis(1), new Random(3)));
    private static final TestIdentities PKI = new TestIdentities("/O=Keyline Test/CN=Registrar Test CA");

    @TempDir
    Path tmp;

    private final IotEmulator emulator = EmulatorFixture.emulator().start();
    private final IotClients clients = EmulatorFixture.clients();

    @AfterEach
    void stop() {
        clients.close();
        emulator.close();
    }

    private Registrar registrar(RegistrationTarget target, String accessKey) {
        return new Registrar(target, clients.client(target, EmulatorFixture.keys(accessKey)), OperationLimits.of(target), FAST_RETRIES);
    }

    private RegistrationTarget.Builder target(String name) {
        return EmulatorFixture.target(name, emulator.endpoint()).allQuotas(200);
    }

    private void registerCa(String accessKey) {
        IotClient raw = EmulatorFixture.client(clients, emulator, accessKey);
        raw.registerCACertificate(r -> r.caCertificate(PKI.caPem()).certificateMode(CertificateMode.SNI_ONLY).setAsActive(true));
    }

    @Test
    void withoutCaRegistersTheCertificateCreatesTheThingAndAttachesPrincipalAndPolicy() throws Exception {
        Registrar registrar = registrar(target("a").createThing(true).thingType(THING_TYPE).policyName(POLICY).build(), KEY_A);
        DeviceIdentity device = PKI.device("sensor-0001", Optional.empty(), Map.of("line", "3"));
        PKI.verifyIndependently(device, tmp);

        RegistrationOutcome outcome = registrar.register(device);

        assertThat(outcome).isEqualTo(new Registered("arn:aws:iot:eu-west-1:" + ACCOUNT_A + ":cert/" + device.certificateId(),
                device.certificateId(), Optional.of("arn:aws:iot:eu-west-1:" + ACCOUNT_A + ":thing/sensor-0001"), true));
        assertThat(emulator.certificateStatus(ACCOUNT_A, device.certificateId())).contains("ACTIVE");
        assertThat(emulator.certificateCa(ACCOUNT_A, device.certificateId())).isEmpty();
        assertThat(emulator.thingAttributes(ACCOUNT_A, "sensor-0001")).contains(Map.of("line", "3"));
        String arn = ((Registered) outcome).certificateArn();
        assertThat(emulator.thingPrincipals(ACCOUNT_A, "sensor-0001")).containsExactly(arn);
        assertThat(emulator.policiesOf(ACCOUNT_A, arn)).containsExactly(POLICY);
        assertThat(registrar.stats().snapshot().attempts()).containsEntry(IotOperation.REGISTER_CERTIFICATE_WITHOUT_CA, 1L)
                .containsEntry(IotOperation.CREATE_THING, 1L).containsEntry(IotOperation.LIST_THING_PRINCIPALS, 1L)
                .containsEntry(IotOperation.ATTACH_THING_PRINCIPAL, 1L).containsEntry(IotOperation.ATTACH_POLICY, 1L);
    }

    @Test
    void sameCertificateTwiceIsRegisteredOnceAndReportedRegisteredBothTimes() throws Exception {
        Registrar registrar = registrar(target("a").createThing(true).policyName(POLICY).build(), KEY_A);
        DeviceIdentity device = PKI.device("again");

        RegistrationOutcome first = registrar.register(device);
        RegistrationOutcome second = registrar.register(device);

        assertThat(first).isInstanceOf(Registered.class);
        // The same certificate and thing; but the second registration found the thing, so it does not claim to have
        // made it: only the first one's "created" lets keyline deregister delete it.
        assertThat(second).isEqualTo(new Registered(((Registered) first).certificateArn(), ((Registered) first).certificateId(),
                ((Registered) first).thingArn(), false));
        assertThat(((Registered) first).thingCreated()).isTrue();
        assertThat(emulator.certificateCount(ACCOUNT_A)).isEqualTo(1);
        assertThat(emulator.successfulRegistrations()).isEqualTo(1);
        assertThat(emulator.thingPrincipals(ACCOUNT_A, "again")).hasSize(1);
        // The second run saw the principal attached and did not attach it again.
        assertThat(registrar.stats().snapshot().attempts()).containsEntry(IotOperation.ATTACH_THING_PRINCIPAL, 1L);
    }

    @ParameterizedTest
    @EnumSource(Faults.LostReply.class)
    void lostReplyAfterRegisteringEndsRegisteredAndRegisteredOnce(Faults.LostReply how) throws Exception {
        Registrar registrar = registrar(target("a").createThing(true).build(), KEY_A);
        DeviceIdentity device = PKI.device("lost-" + how);
        emulator.loseNextReplies("RegisterCertificateWithoutCA", 1, how);
        emulator.loseNextReplies("CreateThing", 1, how);
        emulator.loseNextReplies("AttachThingPrincipal", 1, how);

        RegistrationOutcome outcome = registrar.register(device);

        assertThat(outcome).isInstanceOfSatisfying(Registered.class,
                r -> assertThat(r.certificateId()).isEqualTo(device.certificateId()));
        assertThat(emulator.lostReplies()).isEqualTo(3);
        assertThat(emulator.certificateCount(ACCOUNT_A)).isEqualTo(1);
        assertThat(emulator.thingPrincipals(ACCOUNT_A, device.thingName())).hasSize(1);
        assertThat(registrar.stats().snapshot().faults()).isEqualTo(3);
    }

    @Test
    void withCaWhenTheCaIsNotRegisteredFailsWithCertificateValidationException() throws Exception {
        Registrar registrar = registrar(target("a").mode(RegistrationMode.WITH_CA).caCertificatePem(PKI.caPem()).build(), KEY_A);

        RegistrationOutcome outcome = registrar.register(PKI.device("no-ca"));

        assertThat(outcome).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.errorCode()).isEqualTo("CertificateValidationException");
            assertThat(f.message()).startsWith("RegisterCertificate: ").contains("not registered");
            assertThat(f.retryable()).isFalse();
        });
        assertThat(emulator.certificateCount(ACCOUNT_A)).isZero();
        assertThat(registrar.stats().snapshot().retries()).isZero();
    }

    @Test
    void oneBatchGoesToTwoAccountsOneWithCaOneWithoutCa() throws Exception {
        registerCa(KEY_A);
        Registrar withCa = registrar(target("plant").mode(RegistrationMode.WITH_CA).caCertificatePem(PKI.caPem())
                .createThing(true).policyName(POLICY).build(), KEY_A);
        Registrar withoutCa = registrar(target("partner").mode(RegistrationMode.WITHOUT_CA).certificateStatus(CertificateStatus.INACTIVE).build(), KEY_B);

        for (int i = 0; i < 5; i++) {
            DeviceIdentity device = PKI.device("both-" + i);
            RegistrationOutcome a = withCa.register(device);
            RegistrationOutcome b = withoutCa.register(device);
            assertThat(a).isInstanceOfSatisfying(Registered.class, r -> {
                assertThat(r.certificateArn()).contains(":" + ACCOUNT_A + ":cert/" + device.certificateId());
                assertThat(r.thingArn()).isPresent();
            });
            assertThat(b).isInstanceOfSatisfying(Registered.class, r -> {
                assertThat(r.certificateArn()).contains(":" + ACCOUNT_B + ":cert/" + device.certificateId());
                assertThat(r.thingArn()).isEmpty();
            });
            assertThat(emulator.certificateCa(ACCOUNT_A, device.certificateId())).isPresent();
            assertThat(emulator.certificateCa(ACCOUNT_B, device.certificateId())).isEmpty();
            assertThat(emulator.certificateStatus(ACCOUNT_B, device.certificateId())).contains("INACTIVE");
        }
        assertThat(emulator.certificateCount(ACCOUNT_A)).isEqualTo(5);
        assertThat(emulator.certificateCount(ACCOUNT_B)).isEqualTo(5);
    }

    @Test
    void existingThingWithOtherSettingsFailsTheDeviceAndIsNotOverwritten() throws Exception {
        Registrar registrar = registrar(target("a").createThing(true).policyName(POLICY).build(), KEY_A);
        EmulatorFixture.client(clients, emulator, KEY_A).createThing(r -> r.thingName("taken").attributePayload(p -> p.attributes(Map.of("owner", "someone"))));
        var issued = PKI.issue("dev-x");
        DeviceIdentity one = new DeviceIdentity("dev-x", "taken", Optional.empty(), Map.of("line", "1"),
                issued.der(), issued.certificateId(), Optional.empty());

        RegistrationOutcome outcome = registrar.register(one);

        assertThat(outcome).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.errorCode()).isEqualTo(Failed.THING_CONFLICT);
            assertThat(f.message()).contains("thing taken already exists").contains("owner=someone").contains("line=1")
                    .contains("is registered, with no thing attached and no policy");
            assertThat(f.retryable()).isFalse();
        });
        assertThat(emulator.thingAttributes(ACCOUNT_A, "taken")).contains(Map.of("owner", "someone"));
        assertThat(emulator.thingPrincipals(ACCOUNT_A, "taken")).isEmpty();
        assertThat(emulator.policiesOf(ACCOUNT_A, "arn:aws:iot:eu-west-1:" + ACCOUNT_A + ":cert/" + one.certificateId())).isEmpty();
    }

    @Test
    void thingBoundToAnotherCertificateFailsTheDeviceAndAttachesNothing() throws Exception {
        Registrar registrar = registrar(target("a").createThing(true).build(), KEY_A);
        DeviceIdentity original = PKI.device("shared-thing");
        assertThat(registrar.register(original)).isInstanceOf(Registered.class);
        var reissued = PKI.issue("shared-thing");
        DeviceIdentity replacement = new DeviceIdentity("shared-thing", "shared-thing", Optional.empty(), Map.of(),
                reissued.der(), reissued.certificateId(), Optional.empty());

        RegistrationOutcome outcome = registrar.register(replacement);

        assertThat(outcome).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.errorCode()).isEqualTo(Failed.THING_BOUND_TO_OTHER_CERTIFICATE);
            assertThat(f.message()).contains(original.certificateId());
        });
        assertThat(emulator.thingPrincipals(ACCOUNT_A, "shared-thing")).singleElement().asString().endsWith(original.certificateId());
    }

    @Test
    void throttlingThatOutlastsTheRetriesFailsRetryableAfterMaxAttempts() throws Exception {
        emulator.faults(new Faults(1, 0, 0, Faults.LostReply.INTERNAL_FAILURE));
        Registrar registrar = registrar(target("a").build(), KEY_A);

        RegistrationOutcome outcome = registrar.register(PKI.device("throttled"));

        assertThat(outcome).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.errorCode()).isEqualTo("ThrottlingException");
            assertThat(f.message()).contains("after 6 attempts");
            assertThat(f.retryable()).isTrue();
        });
        assertThat(emulator.requests().total("RegisterCertificateWithoutCA")).isEqualTo(6);
        assertThat(registrar.stats().snapshot().throttled()).isEqualTo(6);
        assertThat(registrar.stats().snapshot().retries()).isEqualTo(5);
    }

    @Test
    void unknownPolicyFailsWithAwsNotFoundAndIsNotRetried() throws Exception {
        Registrar registrar = registrar(target("a").policyName("missing-policy").build(), KEY_A);

        RegistrationOutcome outcome = registrar.register(PKI.device("nopolicy"));

        assertThat(outcome).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.errorCode()).isEqualTo("ResourceNotFoundException");
            assertThat(f.message()).startsWith("AttachPolicy: ");
        });
        assertThat(emulator.requests().total("AttachPolicy")).isEqualTo(1);
    }

    @Test
    void templateModeRegistersThroughRegisterThingWithTheDeclaredParameters() throws Exception {
        String template = """
                {"Parameters": {"ThingName": {"Type": "String"}, "CertificatePem": {"Type": "String"}, "line": {"Type": "String"}},
                 "Resources": {
                   "certificate": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificatePem": {"Ref": "CertificatePem"}, "Status": "ACTIVE"}},
                   "thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "ThingName"}, "AttributePayload": {"line": {"Ref": "line"}}}},
                   "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "keyline-device"}}}}
                """;
        Registrar registrar = registrar(target("tpl").mode(RegistrationMode.TEMPLATE).templateBody(template).build(), KEY_A);
        DeviceIdentity device = PKI.device("tpl-1", Optional.empty(), Map.of("line", "9"));
        emulator.loseNextReplies("RegisterThing", 1, Faults.LostReply.INTERNAL_FAILURE);

        RegistrationOutcome outcome = registrar.register(device);

        assertThat(outcome).isEqualTo(new Registered("arn:aws:iot:eu-west-1:" + ACCOUNT_A + ":cert/" + device.certificateId(),
                device.certificateId(), Optional.of("arn:aws:iot:eu-west-1:" + ACCOUNT_A + ":thing/tpl-1")));
        assertThat(emulator.certificateCount(ACCOUNT_A)).isEqualTo(1);
        assertThat(emulator.thingAttributes(ACCOUNT_A, "tpl-1")).contains(Map.of("line", "9"));
    }

    @Test
    void templateReferenceThatCannotBeResolvedFailsWithAwsMessage() throws Exception {
        String template = """
                {"Parameters": {"ThingName": {"Type": "String"}, "AWS::IoT::Certificate::Country": {"Type": "String"}},
                 "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "ThingName"},
                   "AttributePayload": {"country": {"Ref": "AWS::IoT::Certificate::Country"}}}}}}
                """;
        Registrar registrar = registrar(target("tpl").mode(RegistrationMode.TEMPLATE).templateBody(template).build(), KEY_A);

        RegistrationOutcome outcome = registrar.register(PKI.device("tpl-2"));

        assertThat(outcome).isEqualTo(new Failed("InvalidRequestException",
                "RegisterThing: Invalid registration template. Cannot resolve reference value: {Ref=AWS::IoT::Certificate::Country}", false));
        assertThat(emulator.thingAttributes(ACCOUNT_A, "tpl-2")).isEmpty();
    }
}
