package dev.keyline.job;

import java.time.Clock;
import java.util.Optional;

import org.slf4j.MDC;
import org.springframework.batch.infrastructure.item.ItemProcessor;

import dev.keyline.aws.DeregistrationOutcome;
import dev.keyline.aws.Registrars;
import dev.keyline.aws.RegisteredDevice;
import dev.keyline.ledger.Deregistrations;
import dev.keyline.ledger.RegistrationStatus;

/**
 * Takes one (device, target) registration back, as its row's intent says (DEREGISTERING: INACTIVE and deleted;
 * REVOKING: REVOKED and kept). Runs on the step's threads outside the chunk's transaction (it writes nothing; the
 * writer does). An AWS refusal is an outcome (the pair stays in flight with AWS's code and message), never an error
 * of the step. An interrupt stops the pair without recording anything: every step is safe to repeat.
 */
// Not final: step-scoped beans are class-based proxies.
public class DeregisterItemProcessor implements ItemProcessor<Deregistrations.Row, Deregistrations.Outcome>, AutoCloseable {

    /** Keyline's error code for a ledger row that cannot be taken back as it is (no certificate ARN, a bad ARN). */
    static final String INVALID_ROW = "InvalidLedgerRow";

    private final Registrars registrars;
    private final Runnable closeRegistrars;
    private final long jobExecutionId;
    private final RegistrationProgress progress;
    private final Clock clock;

    /** @param closeRegistrars gives the registrars back when the step ends (its scope closes this processor) */
    public DeregisterItemProcessor(Registrars registrars, Runnable closeRegistrars, long jobExecutionId,
                                   RegistrationProgress progress, Clock clock) {
        this.registrars = registrars;
        this.closeRegistrars = closeRegistrars;
        this.jobExecutionId = jobExecutionId;
        this.progress = progress;
        this.clock = clock;
    }

    @Override
    public Deregistrations.Outcome process(Deregistrations.Row row) throws InterruptedException {
        MDC.put(JsonLogFormatter.DEVICE_ID, row.deviceId()); // for the JSON log
        try {
            return deregister(row);
        } finally {
            MDC.remove(JsonLogFormatter.DEVICE_ID);
        }
    }

    private Deregistrations.Outcome deregister(Deregistrations.Row row) throws InterruptedException {
        boolean revoke = row.status() == RegistrationStatus.REVOKING;
        RegisteredDevice device;
        try {
            device = new RegisteredDevice(row.deviceId(), row.certificateArn().orElseThrow(() -> new IllegalArgumentException(
                    "device " + row.deviceId() + ": the ledger has no certificate ARN for target " + row.target())),
                    row.thingArn(), row.thingCreated());
        } catch (IllegalArgumentException e) {
            return failed(row, INVALID_ROW, e.getMessage());
        }
        DeregistrationOutcome outcome = registrars.get(row.target()).deregistrar().deregister(device, revoke);
        if (outcome instanceof DeregistrationOutcome.Deregistered done) {
            progress.countRegistered();
            return new Deregistrations.Outcome(row.deviceId(), row.target(),
                    revoke ? RegistrationStatus.REVOKED : RegistrationStatus.DEREGISTERED, Optional.of(done.thing().name()),
                    Optional.empty(), Optional.empty(), jobExecutionId, clock.instant());
        }
        DeregistrationOutcome.Failed failed = (DeregistrationOutcome.Failed) outcome;
        return failed(row, failed.errorCode(), failed.message());
    }

    private Deregistrations.Outcome failed(Deregistrations.Row row, String code, String message) {
        progress.countFailed();
        return new Deregistrations.Outcome(row.deviceId(), row.target(), row.status(), Optional.empty(), Optional.of(code),
                Optional.ofNullable(message), jobExecutionId, clock.instant());
    }

    @Override
    public void close() {
        closeRegistrars.run();
    }
}
