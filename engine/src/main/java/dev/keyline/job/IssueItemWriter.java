package dev.keyline.job;

import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.LedgerEntry;
import dev.keyline.ledger.Rejection;

/**
 * Commits a chunk: first the bundle files are made durable, then the ledger rows and rejections are written in
 * the chunk's transaction. If the process dies before the commit, the chunk is processed again on restart and
 * its bundles are overwritten, so disk and ledger agree.
 */
// Not final: step-scoped beans are class-based proxies.
public class IssueItemWriter implements ItemWriter<IssueOutcome> {

    private final DeviceProvisioner provisioner;
    private final Ledger ledger;
    private final long jobInstanceId;
    private final long skipLimit;
    private final ProvisionProgress progress;

    /** @param skipLimit the most rejected rows the run accepts; negative: no limit */
    public IssueItemWriter(DeviceProvisioner provisioner, Ledger ledger, long jobInstanceId, long skipLimit,
                           ProvisionProgress progress) {
        this.provisioner = provisioner;
        this.ledger = ledger;
        this.jobInstanceId = jobInstanceId;
        this.skipLimit = skipLimit;
        this.progress = progress;
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
        boolean endsWithTransaction = endChunkWithTransaction();
        provisioner.makeDurable();
        ledger.recordIssued(issued);
        ledger.recordRejected(rejected);
        if (!rejected.isEmpty() && skipLimit >= 0) {
            long total = ledger.countRejected(jobInstanceId);
            if (total > skipLimit) {
                throw new SkipLimitExceededException(total, skipLimit);
            }
        }
        progress.issued(issued.size());
        progress.rejected(rejected.size());
        if (!endsWithTransaction) {
            provisioner.chunkEnded(); // no transaction around the write: its rows are committed already
        }
    }

    /**
     * The provisioner forgets the chunk's in-flight CSR keys once its transaction has ended: not before the commit,
     * or another partition could miss a key that is in neither its memory nor (yet) the ledger.
     */
    private boolean endChunkWithTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return false;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                provisioner.chunkEnded();
            }
        });
        return true;
    }
}
