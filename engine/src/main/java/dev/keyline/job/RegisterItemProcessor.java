package dev.keyline.job;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.MDC;
import org.springframework.batch.infrastructure.item.ItemProcessor;

import dev.keyline.aws.DeviceIdentity;
import dev.keyline.aws.Registrars;
import dev.keyline.aws.RegistrationOutcome;
import dev.keyline.ledger.Deregistrations;
import dev.keyline.ledger.RegistrationCandidate;
import dev.keyline.ledger.RegistrationRecord;
import dev.keyline.ledger.RegistrationStatus;

/**
 * Registers one device with each of its pending targets. Runs on the step's registering threads, outside the
 * chunk's transaction (it writes nothing; the writer does). An AWS refusal is an outcome (FAILED with AWS's code
 * and message), never an error of the step. An interrupt stops the device without recording anything: its state
 * in AWS is unknown, and registering it again later is safe.
 */
// Not final: step-scoped beans are class-based proxies.
public class RegisterItemProcessor implements ItemProcessor<RegistrationWork, DeviceRegistrations>, AutoCloseable {

    /** Keyline's error code for a ledger row that cannot become a device identity (e.g. a bad thing name). */
    static final String INVALID_DEVICE = "InvalidDevice";

    private final Registrars registrars;
    private final Runnable closeRegistrars;
    private final RunIdentity run;
    private final RegistrationProgress progress;
    private final Clock clock;

    /** @param closeRegistrars gives the registrars back when the step ends (its scope closes this processor) */
    public RegisterItemProcessor(Registrars registrars, Runnable closeRegistrars, RunIdentity run,
                                 RegistrationProgress progress, Clock clock) {
        this.registrars = registrars;
        this.closeRegistrars = closeRegistrars;
        this.run = run;
        this.progress = progress;
        this.clock = clock;
    }

    @Override
    public DeviceRegistrations process(RegistrationWork work) throws InterruptedException {
        MDC.put(JsonLogFormatter.DEVICE_ID, work.device().deviceId()); // for the JSON log
        try {
            return register(work);
        } finally {
            MDC.remove(JsonLogFormatter.DEVICE_ID);
        }
    }

    private DeviceRegistrations register(RegistrationWork work) throws InterruptedException {
        RegistrationCandidate device = work.device();
        List<RegistrationRecord> records = new ArrayList<>(work.targets().size());
        DeviceIdentity identity;
        try {
            identity = new DeviceIdentity(device.deviceId(), device.thingName(), device.input().thingType(),
                    device.input().attributes(), device.input().certificateDer(), device.certificateId(), Optional.empty(),
                    device.input().thingGroups());
        } catch (IllegalArgumentException e) {
            for (String target : work.targets()) {
                records.add(failed(device, target, INVALID_DEVICE, e.getMessage()));
            }
            return new DeviceRegistrations(records, List.of());
        }
        List<Deregistrations.Ownership> ownership = new ArrayList<>(work.targets().size());
        for (String target : work.targets()) {
            RegistrationOutcome outcome = registrars.get(target).register(identity);
            if (outcome instanceof RegistrationOutcome.Registered r) {
                progress.countRegistered();
                records.add(new RegistrationRecord(run.outputId(), device.deviceId(), target, RegistrationStatus.REGISTERED,
                        Optional.of(r.certificateArn()), r.thingArn(), Optional.empty(), Optional.empty(),
                        run.jobExecutionId(), clock.instant()));
                ownership.add(new Deregistrations.Ownership(run.outputId(), device.deviceId(), target, r.thingCreated()));
            } else if (outcome instanceof RegistrationOutcome.Failed f) {
                records.add(failed(device, target, f.errorCode(), f.message()));
            }
        }
        return new DeviceRegistrations(records, ownership);
    }

    private RegistrationRecord failed(RegistrationCandidate device, String target, String code, String message) {
        progress.countFailed();
        return new RegistrationRecord(run.outputId(), device.deviceId(), target, RegistrationStatus.FAILED, Optional.empty(),
                Optional.empty(), Optional.of(code), Optional.ofNullable(message), run.jobExecutionId(), clock.instant());
    }

    @Override
    public void close() {
        closeRegistrars.run();
    }
}
