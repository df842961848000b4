package dev.keyline.aws;

import static dev.keyline.aws.EmulatorFixture.ACCOUNT_A;
import static dev.keyline.aws.EmulatorFixture.KEY_A;
import static dev.keyline.aws.EmulatorFixture.POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.aws.DeregistrationOutcome.Deregistered;
import dev.keyline.aws.DeregistrationOutcome.Failed;
import dev.keyline.aws.RegistrationOutcome.Registered;
import dev.keyline.aws.emulator.Faults;
import dev.keyline.aws.emulator.IotEmulator;
import software.amazon.awssdk.services.iot.IotClient;

/** Deregistrar against the emulator over HTTP, with the real SDK: each step, its order, and its repeats. */
class DeregistrarTest {

    private static final TestIdentities PKI = new TestIdentities("/O=Keyline Test/CN=Deregistrar Test CA");

    @TempDir
    Path tmp;

    private final IotEmulator emulator = EmulatorFixture.emulator().start();
    private final IotClients clients = EmulatorFixture.clients();
    private final Registrar registrar = new Registrar(EmulatorFixture.target("a", emulator.endpoint()).allQuotas(200)
            .createThing(true).policyName(POLICY).build(), clients.client(EmulatorFixture.target("a", emulator.endpoint())
            .build(), EmulatorFixture.keys(KEY_A)), OperationLimits.of(EmulatorFixture.target("a", emulator.endpoint())
            .allQuotas(200).build()), RegistrarTest.FAST_RETRIES);

    @AfterEach
    void stop() {
        clients.close();
        emulator.close();
    }

    private RegisteredDevice registered(String deviceId) throws InterruptedException {
        DeviceIdentity device = PKI.device(deviceId);
        PKI.verifyIndependently(device, tmp);
        Registered r = (Registered) registrar.register(device);
        return new RegisteredDevice(deviceId, r.certificateArn(), r.thingArn(), r.thingCreated());
    }

    @Test
    void deregisteringDeactivatesDetachesWaitsForTheDetachThenDeletesCertificateAndThing() throws Exception {
        emulator.detachDelay(Duration.ofMillis(400));
        RegisteredDevice device = registered("gone-1");
        assertThat(device.thingCreated()).isTrue();

        DeregistrationOutcome outcome = registrar.deregistrar().deregister(device, false);

        assertThat(outcome).isEqualTo(new Deregistered(true, DeregistrationOutcome.Thing.DELETED));
        assertThat(emulator.certificateStatus(ACCOUNT_A, device.certificateId())).isEmpty();
        assertThat(emulator.hasThing(ACCOUNT_A, "gone-1")).isFalse();
        assertThat(emulator.thingDeletions(ACCOUNT_A, "gone-1")).isEqualTo(1);
        // The detach showed only after some polls: DeleteThing never met "still attached".
        assertThat(emulator.requests().total("ListThingPrincipals")).isGreaterThan(2);
        assertThat(registrar.stats().snapshot().attempts()).containsEntry(IotOperation.UPDATE_CERTIFICATE, 1L)
                .containsEntry(IotOperation.DETACH_POLICY, 1L).containsEntry(IotOperation.DETACH_THING_PRINCIPAL, 1L)
                .containsEntry(IotOperation.DELETE_CERTIFICATE, 1L).containsEntry(IotOperation.DELETE_THING, 1L);
    }

    @Test
    void revokingKeepsTheCertificateRegisteredAsRevokedWithoutPolicyOrThing() throws Exception {
        RegisteredDevice device = registered("eol-fail");

        DeregistrationOutcome outcome = registrar.deregistrar().deregister(device, true);

        assertThat(outcome).isEqualTo(new Deregistered(false, DeregistrationOutcome.Thing.DELETED));
        assertThat(emulator.certificateStatus(ACCOUNT_A, device.certificateId())).contains("REVOKED");
        assertThat(emulator.policiesOf(ACCOUNT_A, device.certificateArn())).isEmpty();
        assertThat(emulator.requests().total("DeleteCertificate")).isZero();
    }

    @Test
    void everyStepRepeatedAfterItWasDoneIsDoneAgainHarmlessly() throws Exception {
        RegisteredDevice device = registered("twice");
        emulator.loseNextReplies("DeleteCertificate", 1, Faults.LostReply.CLOSE_CONNECTION);

        DeregistrationOutcome first = registrar.deregistrar().deregister(device, false);
        DeregistrationOutcome again = registrar.deregistrar().deregister(device, false);

        assertThat(first).isEqualTo(new Deregistered(true, DeregistrationOutcome.Thing.DELETED));
        assertThat(again).isEqualTo(first);
        assertThat(emulator.thingDeletions(ACCOUNT_A, "twice")).isEqualTo(1);
        assertThat(emulator.certificateStatus(ACCOUNT_A, device.certificateId())).isEmpty();
    }

    @Test
    void aRevocationRepeatedFindsTheCertificateRevokedAndEndsTheSame() throws Exception {
        RegisteredDevice device = registered("revoked-twice");

        DeregistrationOutcome first = registrar.deregistrar().deregister(device, true);
        DeregistrationOutcome again = registrar.deregistrar().deregister(device, true);

        assertThat(again).isEqualTo(first).isInstanceOf(Deregistered.class);
        assertThat(emulator.certificateStatus(ACCOUNT_A, device.certificateId())).contains("REVOKED");
    }

    @Test
    void aThingThatExistedBeforeRegistrationIsDetachedButNotDeleted() throws Exception {
        IotClient raw = EmulatorFixture.client(clients, emulator, KEY_A);
        raw.createThing(r -> r.thingName("theirs"));
        RegisteredDevice device = registered("theirs");
        assertThat(device.thingCreated()).isFalse();

        DeregistrationOutcome outcome = registrar.deregistrar().deregister(device, false);

        assertThat(outcome).isEqualTo(new Deregistered(true, DeregistrationOutcome.Thing.KEPT_NOT_KEYLINES));
        assertThat(emulator.hasThing(ACCOUNT_A, "theirs")).isTrue();
        assertThat(emulator.thingPrincipals(ACCOUNT_A, "theirs")).isEmpty();
        assertThat(emulator.requests().total("DeleteThing")).isZero();
    }

    @Test
    void aThingAnotherCertificateStillUsesIsLeftAlone() throws Exception {
        RegisteredDevice device = registered("shared");
        DeviceIdentity other = PKI.device("shared-other");
        IotClient raw = EmulatorFixture.client(clients, emulator, KEY_A);
        String otherArn = raw.registerCertificateWithoutCA(r -> r.certificatePem(other.certificatePem())
                .status("ACTIVE")).certificateArn();
        raw.attachThingPrincipal(r -> r.thingName("shared").principal(otherArn));

        DeregistrationOutcome outcome = registrar.deregistrar().deregister(device, false);

        assertThat(outcome).isEqualTo(new Deregistered(true, DeregistrationOutcome.Thing.KEPT_IN_USE));
        assertThat(emulator.thingPrincipals(ACCOUNT_A, "shared")).containsExactly(otherArn);
        assertThat(emulator.certificateStatus(ACCOUNT_A, other.certificateId())).contains("ACTIVE");
    }

    @Test
    void aDetachThatNeverShowsWithinTheBoundFailsTheDeviceForTheNextRun() throws Exception {
        emulator.detachDelay(Duration.ofHours(1));
        RegisteredDevice device = registered("stuck");
        PacedCaller caller = new PacedCaller(OperationLimits.of(registrar.target()).asMap(), RegistrarTest.FAST_RETRIES,
                MonotonicClock.SYSTEM, new RegistrationStats());
        Deregistrar impatient = new Deregistrar(registrar.target(), EmulatorFixture.client(clients, emulator, KEY_A), caller,
                MonotonicClock.SYSTEM, Duration.ofMillis(500));

        DeregistrationOutcome outcome = impatient.deregister(device, false);

        assertThat(outcome).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.errorCode()).isEqualTo(Failed.DETACH_NOT_VISIBLE);
            assertThat(f.retryable()).isTrue();
        });
        assertThat(emulator.certificateStatus(ACCOUNT_A, device.certificateId())).contains("INACTIVE");
        assertThat(emulator.hasThing(ACCOUNT_A, "stuck")).isTrue();
        assertThat(emulator.requests().total("DeleteThing")).isZero();
    }

    @Test
    void theEmulatorRefusesToDeleteAnActiveOrAttachedCertificateAndAThingWithAPrincipal() throws Exception {
        RegisteredDevice device = registered("refusals");
        IotClient raw = EmulatorFixture.client(clients, emulator, KEY_A);

        var active = org.assertj.core.api.Assertions.catchThrowable(() -> raw.deleteCertificate(r -> r.certificateId(device.certificateId())));
        raw.updateCertificate(r -> r.certificateId(device.certificateId()).newStatus("INACTIVE"));
        var attached = org.assertj.core.api.Assertions.catchThrowable(() -> raw.deleteCertificate(r -> r.certificateId(device.certificateId())));
        var thing = org.assertj.core.api.Assertions.catchThrowable(() -> raw.deleteThing(r -> r.thingName("refusals")));

        assertThat(active).isInstanceOf(software.amazon.awssdk.services.iot.model.CertificateStateException.class);
        assertThat(attached).isInstanceOf(software.amazon.awssdk.services.iot.model.DeleteConflictException.class);
        assertThat(thing).isInstanceOf(software.amazon.awssdk.services.iot.model.InvalidRequestException.class)
                .hasMessageContaining("still attached to one or more principals");
        raw.deleteThing(r -> r.thingName("no-such-thing")); // AWS: a thing that does not exist is no error
        assertThat(Optional.of(device.certificateId()).flatMap(id -> emulator.certificateStatus(ACCOUNT_A, id))).contains("INACTIVE");
    }
}
