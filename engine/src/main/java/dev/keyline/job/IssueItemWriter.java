package dev.keyline.job;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.keyline.ledger.ChunkCommit;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.LedgerEntry;
import dev.keyline.ledger.Rejection;

/**
 * Commits a chunk: first the bundle files and the chunk's output manifest rows are made durable, then the ledger rows
 * and rejections are written in the chunk's transaction. If the process dies before the commit, the chunk is processed again on restart and
 * its bundles are overwritten, so disk and ledger agree. The chunk's own row in {@code chunk_commit} (when, how many)
 * commits with it, for the run report.
 */
// Not final: step-scoped beans are class-based proxies.
public class IssueItemWriter implements ItemWriter<IssueOutcome> {

    private final DeviceProvisioner provisioner;
    private final Ledger ledger;
    private final long jobInstanceId;
    private final long skipLimit;
    private final ProvisionProgress progress;
    private final long jobExecutionId;
    private final String stepName;
    private final Clock clock;

    /**
     * @param skipLimit the most rejected rows the run accepts; negative: no limit
     * @param stepName  the partition's step, which the chunk's row in the report names
     */
    public IssueItemWriter(DeviceProvisioner provisioner, Ledger ledger, long jobInstanceId, long skipLimit,
                           ProvisionProgress progress, long jobExecutionId, String stepName, Clock clock) {
        this.provisioner = provisioner;
        this.ledger = ledger;
        this.jobInstanceId = jobInstanceId;
        this.skipLimit = skipLimit;
        this.progress = progress;
        this.jobExecutionId = jobExecutionId;
        this.stepName = stepName;
        this.clock = clock;
    }

    @Override
    public void write(Chunk<? extends IssueOutcome> chunk) {
        List<LedgerEntry> issued = new ArrayList<>(chunk.size());
        List<Rejection> rejected = new ArrayList<>();
        for (IssueOutcome outcome : chunk) {
            if (outcome instanceof IssueOutcome.Issued i) {
                issued.add(i.entry());
            } else if (outcome instanceof IssueOutcome.Rejected r) {
                rejected.add(r.rejection());
            }
        }
        java.util.Map<String, Integer> byCode = new java.util.TreeMap<>();
        rejected.forEach(r -> byCode.merge(r.code(), 1, Integer::sum));
        boolean endsWithTransaction = endChunkWithTransaction(issued.size(), byCode);
        provisioner.makeDurable(issued);
        ledger.identities().recordIssued(issued);
        ledger.rejections().recordRejected(rejected);
        ledger.runRecords().recordChunk(new ChunkCommit(jobExecutionId, stepName, clock.instant(), issued.size(),
                rejected.size(), 0, 0, keyAlgorithms(issued)));
        if (!rejected.isEmpty() && skipLimit >= 0) {
            long total = ledger.rejections().countRejected(jobInstanceId);
            if (total > skipLimit) {
                throw new SkipLimitExceededException(total, skipLimit);
            }
        }
        progress.issued(issued.size());
        progress.rejected(rejected.size());
        if (!endsWithTransaction) {
            provisioner.chunkEnded(); // no transaction around the write: its rows are committed already
            progress.committed(issued.size(), byCode);
        }
    }

    /** {@code ec-p256=498;rsa-2048=2}: a few map operations per device, against a signature each. */
    private static String keyAlgorithms(List<LedgerEntry> issued) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (LedgerEntry e : issued) {
            counts.merge(e.keyAlgorithm(), 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        counts.forEach((algorithm, n) -> b.append(b.isEmpty() ? "" : ";").append(algorithm).append('=').append(n));
        return b.toString();
    }

    /**
     * The provisioner forgets the chunk's in-flight CSR keys once its transaction has ended: not before the commit,
     * or another partition could miss a key that is in neither its memory nor (yet) the ledger.
     */
    private boolean endChunkWithTransaction(int issued, java.util.Map<String, Integer> rejectedByCode) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return false;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                progress.committed(issued, rejectedByCode); // the metrics count what the ledger holds
            }

            @Override
            public void afterCompletion(int status) {
                provisioner.chunkEnded();
            }
        });
        return true;
    }
}
