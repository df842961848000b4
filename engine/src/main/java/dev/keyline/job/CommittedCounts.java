package dev.keyline.job;

/** What a run (job instance) has committed to the ledger so far, over all its executions. */
public record CommittedCounts(long issued, long rejected) {

    public long total() {
        return issued + rejected;
    }
}
