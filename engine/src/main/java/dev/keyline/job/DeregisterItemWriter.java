package dev.keyline.job;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import dev.keyline.ledger.ChunkCommit;
import dev.keyline.ledger.Deregistrations;
import dev.keyline.ledger.Ledger;

/**
 * Records a chunk's withdrawals in {@code device_registration}, in the chunk's transaction, together with the reader's
 * position, the chunk's {@code chunk_commit} row and the execution's AWS call counts so far. If the process dies
 * before the commit, the chunk's pairs are still in flight and are taken back again on restart: each step is safe to
 * repeat (a certificate or thing already gone counts as done), so they end DEREGISTERED or REVOKED once.
 */
// Not final: step-scoped beans are class-based proxies.
public class DeregisterItemWriter implements ItemWriter<Deregistrations.Outcome> {

    private final Ledger ledger;
    private final Deregistrations deregistrations;
    private final ExecutionRegistrars registrars;
    private final String outputId;
    private final long jobExecutionId;
    private final String stepName;
    private final Clock clock;

    public DeregisterItemWriter(Ledger ledger, Deregistrations deregistrations, ExecutionRegistrars registrars, String outputId,
                                long jobExecutionId, String stepName, Clock clock) {
        this.ledger = ledger;
        this.deregistrations = deregistrations;
        this.registrars = registrars;
        this.outputId = outputId;
        this.jobExecutionId = jobExecutionId;
        this.stepName = stepName;
        this.clock = clock;
    }

    @Override
    public void write(Chunk<? extends Deregistrations.Outcome> chunk) {
        List<Deregistrations.Outcome> outcomes = new ArrayList<>(chunk.getItems());
        deregistrations.record(outputId, outcomes);
        int done = (int) outcomes.stream().filter(o -> o.status().withdrawn()).count();
        ledger.runRecords().recordChunk(new ChunkCommit(jobExecutionId, stepName, clock.instant(), 0, 0, done, outcomes.size() - done));
        ledger.runRecords().recordCalls(registrars.callCounts(jobExecutionId));
    }
}
