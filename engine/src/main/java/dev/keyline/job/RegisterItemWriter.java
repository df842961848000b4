package dev.keyline.job;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import dev.keyline.ledger.ChunkCommit;
import dev.keyline.ledger.Deregistrations;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.RegistrationRecord;
import dev.keyline.ledger.RegistrationStatus;

/**
 * Records a chunk's registration outcomes in {@code device_registration}, in the chunk's transaction, together
 * with the reader's position. If the process dies before the commit, the chunk's devices are registered again on
 * restart, which AWS answers as "already registered": they end REGISTERED once, with the same ARN. The chunk's row in
 * {@code chunk_commit} and the execution's AWS call counts so far ({@code registration_call}) commit with it, for the
 * run report: chunks run one after another, so at this point the counts hold exactly the calls of the committed
 * chunks and of this one.
 */
// Not final: step-scoped beans are class-based proxies.
public class RegisterItemWriter implements ItemWriter<DeviceRegistrations> {

    private final Ledger ledger;
    private final Deregistrations deregistrations;
    private final ExecutionRegistrars registrars;
    private final long jobExecutionId;
    private final String stepName;
    private final Clock clock;

    public RegisterItemWriter(Ledger ledger, Deregistrations deregistrations, ExecutionRegistrars registrars,
                              long jobExecutionId, String stepName, Clock clock) {
        this.ledger = ledger;
        this.deregistrations = deregistrations;
        this.registrars = registrars;
        this.jobExecutionId = jobExecutionId;
        this.stepName = stepName;
        this.clock = clock;
    }

    @Override
    public void write(Chunk<? extends DeviceRegistrations> chunk) {
        List<RegistrationRecord> records = new ArrayList<>();
        List<Deregistrations.Ownership> ownership = new ArrayList<>();
        for (DeviceRegistrations device : chunk) {
            records.addAll(device.records());
            ownership.addAll(device.ownership());
        }
        ledger.registrations().recordRegistrations(records);
        deregistrations.recordOwnership(ownership);
        int registered = (int) records.stream().filter(r -> r.status() == RegistrationStatus.REGISTERED).count();
        ledger.runRecords().recordChunk(new ChunkCommit(jobExecutionId, stepName, clock.instant(), 0, 0, registered,
                records.size() - registered));
        ledger.runRecords().recordCalls(registrars.callCounts(jobExecutionId));
    }
}
