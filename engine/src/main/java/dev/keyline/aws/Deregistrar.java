package dev.keyline.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import dev.keyline.aws.DeregistrationOutcome.Deregistered;
import dev.keyline.aws.DeregistrationOutcome.Failed;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStateException;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.ListAttachedPoliciesResponse;
import software.amazon.awssdk.services.iot.model.Policy;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;

/**
 * Takes devices' registrations with one target back ({@code keyline deregister}), in the order AWS requires:
 * <ol>
 * <li>UpdateCertificate to INACTIVE, or REVOKED: the device can no longer connect, whatever comes next;</li>
 * <li>DetachPolicy for every policy attached to the certificate (ListAttachedPolicies: whatever the registration
 * route attached, a target's policy or a template's);</li>
 * <li>DetachThingPrincipal, then ListThingPrincipals until the thing no longer lists the certificate: the detach is
 * eventually consistent, and a DeleteThing right after it fails with "still attached to one or more principals";</li>
 * <li>DeleteCertificate, unless revoking: a revoked certificate stays registered as REVOKED, so that an account whose
 * CA auto-registers devices (JITP/JITR) does not simply register it again on its next connection;</li>
 * <li>DeleteThing, only for a thing the registration created and that no other principal still uses.</li>
 * </ol>
 * Every step is safe to repeat (after a lost reply, or a run killed mid-device): AWS's "not found" for a certificate,
 * policy attachment or thing already gone counts as done, and DeleteThing of a thing that does not exist succeeds.
 * <p>
 * Calls go through the target's {@link PacedCaller}: the same token buckets, retries and counters as registration.
 * Thread-safe.
 */
public final class Deregistrar {

    /** How long a detach may take to show before the device is left for the next run: bounded, never a fixed sleep. */
    static final Duration DETACH_WAIT = Duration.ofSeconds(60);
    private static final Backoff POLL = new ExponentialJitterBackoff(Duration.ofMillis(200), Duration.ofSeconds(5),
            Duration.ofMillis(50), () -> ThreadLocalRandom.current().nextLong());

    private final RegistrationTarget target;
    private final IotClient iot;
    private final PacedCaller caller;
    private final MonotonicClock clock;
    private final Duration detachWait;

    Deregistrar(RegistrationTarget target, IotClient iot, PacedCaller caller, MonotonicClock clock) {
        this(target, iot, caller, clock, DETACH_WAIT);
    }

    Deregistrar(RegistrationTarget target, IotClient iot, PacedCaller caller, MonotonicClock clock, Duration detachWait) {
        this.target = Objects.requireNonNull(target, "target");
        this.iot = Objects.requireNonNull(iot, "iot");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.detachWait = Objects.requireNonNull(detachWait, "detachWait");
    }

    public RegistrationTarget target() {
        return target;
    }

    /**
     * Takes one device's registration back. AWS errors never escape: they become {@link Failed}.
     *
     * @param revoke REVOKED and kept, instead of INACTIVE and deleted
     * @throws InterruptedException while waiting for a permit, a retry or a detach; the device's steps done so far stay
     *                              done and the next run repeats them harmlessly
     */
    public DeregistrationOutcome deregister(RegisteredDevice device, boolean revoke) throws InterruptedException {
        Objects.requireNonNull(device, "device");
        try {
            boolean certificateExists = setStatus(device, revoke);
            if (!certificateExists && revoke) {
                return new Failed(Failed.CERTIFICATE_GONE, "certificate " + device.certificateId() + " is not registered in "
                        + "target " + target.name() + " (deleted outside Keyline?): there is nothing to revoke", false);
            }
            if (certificateExists) {
                detachPolicies(device);
            }
            List<String> othersOnThing = List.of();
            if (device.thingName().isPresent()) {
                String thing = device.thingName().get();
                detachFromThing(thing, device.certificateArn());
                var remaining = waitUntilDetached(thing, device.certificateArn());
                if (remaining == null) {
                    return new Failed(Failed.DETACH_NOT_VISIBLE, "thing " + thing + " still lists certificate "
                            + device.certificateId() + " " + detachWait.toSeconds() + " s after DetachThingPrincipal; "
                            + "its certificate is " + (revoke ? "REVOKED" : "INACTIVE") + ". Run keyline deregister again to "
                            + "finish", true);
                }
                othersOnThing = remaining;
            }
            if (!revoke && certificateExists) {
                deleteCertificate(device);
            }
            return new Deregistered(!revoke, thing(device, othersOnThing));
        } catch (AwsCallFailedException e) {
            AwsError error = e.error();
            return new Failed(error.code(), e.operation().awsName() + ": " + error.message()
                    + (e.attempts() > 1 ? " (after " + e.attempts() + " attempts)" : ""), error.retryable());
        }
    }

    /** @return false when the certificate is not registered (deleted by an earlier attempt, or by someone else) */
    private boolean setStatus(RegisteredDevice device, boolean revoke) throws AwsCallFailedException, InterruptedException {
        CertificateStatus status = revoke ? CertificateStatus.REVOKED : CertificateStatus.INACTIVE;
        try {
            caller.call(IotOperation.UPDATE_CERTIFICATE,
                    () -> iot.updateCertificate(r -> r.certificateId(device.certificateId()).newStatus(status)));
            return true;
        } catch (AwsCallFailedException e) {
            if (e.sdkException() instanceof ResourceNotFoundException) {
                return false;
            }
            if (e.sdkException() instanceof CertificateStateException && alreadyWithdrawn(device, status)) {
                // Revoked already (by an earlier attempt whose reply was lost, or by someone else): a revoked
                // certificate refuses every change of status, and it is as withdrawn as it gets.
                return true;
            }
            throw e;
        }
    }

    private boolean alreadyWithdrawn(RegisteredDevice device, CertificateStatus wanted) throws InterruptedException {
        try {
            CertificateStatus now = caller.call(IotOperation.DESCRIBE_CERTIFICATE,
                    () -> iot.describeCertificate(r -> r.certificateId(device.certificateId()))).certificateDescription().status();
            return now == wanted || now == CertificateStatus.REVOKED;
        } catch (AwsCallFailedException e) {
            return false; // the refusal stands
        }
    }

    private void detachPolicies(RegisteredDevice device) throws AwsCallFailedException, InterruptedException {
        List<String> policies = new ArrayList<>();
        String marker = null;
        try {
            do {
                String page = marker;
                ListAttachedPoliciesResponse answer = caller.call(IotOperation.LIST_ATTACHED_POLICIES,
                        () -> iot.listAttachedPolicies(r -> r.target(device.certificateArn()).marker(page)));
                answer.policies().stream().map(Policy::policyName).forEach(policies::add);
                marker = answer.nextMarker();
            } while (marker != null && !marker.isEmpty());
        } catch (AwsCallFailedException e) {
            if (e.sdkException() instanceof ResourceNotFoundException) {
                return; // the certificate went meanwhile, and its attachments with it
            }
            throw e;
        }
        for (String policy : policies) {
            ignoringNotFound(IotOperation.DETACH_POLICY,
                    () -> iot.detachPolicy(r -> r.policyName(policy).target(device.certificateArn())));
        }
    }

    private void detachFromThing(String thing, String certificateArn) throws AwsCallFailedException, InterruptedException {
        ignoringNotFound(IotOperation.DETACH_THING_PRINCIPAL,
                () -> iot.detachThingPrincipal(r -> r.thingName(thing).principal(certificateArn)));
    }

    /**
     * Polls ListThingPrincipals, with jittered exponential pauses, until the thing no longer lists the certificate.
     *
     * @return the principals still attached then (other devices', or none); an empty list for a thing that is gone;
     *         null when the certificate was still listed after {@link #detachWait}
     */
    private List<String> waitUntilDetached(String thing, String certificateArn) throws AwsCallFailedException, InterruptedException {
        long deadline = clock.nanoTime() + detachWait.toNanos();
        for (int poll = 1; ; poll++) {
            List<String> principals;
            try {
                principals = ThingPrincipals.list(caller, iot, thing);
            } catch (AwsCallFailedException e) {
                if (e.sdkException() instanceof ResourceNotFoundException) {
                    return List.of();
                }
                throw e;
            }
            if (!principals.contains(certificateArn)) {
                return principals;
            }
            long pause = POLL.delayBeforeRetry(poll).toNanos();
            if (clock.nanoTime() + pause > deadline) {
                return null;
            }
            clock.sleepNanos(pause);
        }
    }

    private void deleteCertificate(RegisteredDevice device) throws AwsCallFailedException, InterruptedException {
        ignoringNotFound(IotOperation.DELETE_CERTIFICATE, () -> iot.deleteCertificate(r -> r.certificateId(device.certificateId())));
    }

    private DeregistrationOutcome.Thing thing(RegisteredDevice device, List<String> othersOnThing)
            throws AwsCallFailedException, InterruptedException {
        if (device.thingName().isEmpty()) {
            return DeregistrationOutcome.Thing.NONE;
        }
        if (!device.thingCreated()) {
            return DeregistrationOutcome.Thing.KEPT_NOT_KEYLINES;
        }
        if (!othersOnThing.isEmpty()) {
            return DeregistrationOutcome.Thing.KEPT_IN_USE;
        }
        String thing = device.thingName().get();
        // AWS: "Returns successfully with no error if the deletion is successful or you specify a thing that doesn't exist."
        caller.call(IotOperation.DELETE_THING, () -> iot.deleteThing(r -> r.thingName(thing)));
        return DeregistrationOutcome.Thing.DELETED;
    }

    private <T> void ignoringNotFound(IotOperation operation, java.util.function.Supplier<T> request)
            throws AwsCallFailedException, InterruptedException {
        try {
            caller.call(operation, request);
        } catch (AwsCallFailedException e) {
            if (!(e.sdkException() instanceof ResourceNotFoundException)) {
                throw e;
            }
        }
    }
}
