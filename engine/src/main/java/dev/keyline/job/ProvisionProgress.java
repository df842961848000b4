package dev.keyline.job;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters of the running job, read by the progress display. Thread-safe. */
public final class ProvisionProgress {

    private final AtomicLong total = new AtomicLong(-1);
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong alreadyIssued = new AtomicLong();
    private final AtomicLong baseline = new AtomicLong();
    private final AtomicLong keysFromPool = new AtomicLong();
    private final AtomicLong keysMadeLive = new AtomicLong();
    private final AtomicLong committedByWorkers = new AtomicLong();

    public void total(long rows) {
        total.set(rows);
    }

    /** Rows an earlier execution of the same run already finished (a restart resumes after them). */
    public void baseline(long rows) {
        baseline.set(rows);
    }

    public long baseline() {
        return baseline.get();
    }

    private final AtomicLong committedIssued = new AtomicLong();
    private final java.util.Map<String, AtomicLong> committedRejected = new java.util.concurrent.ConcurrentHashMap<>();

    /** A chunk committed: its identities, and its rejections by reason code. */
    void committed(long issuedRows, java.util.Map<String, Integer> rejectedByCode) {
        committedIssued.addAndGet(issuedRows);
        rejectedByCode.forEach((code, n) -> committedRejected.computeIfAbsent(code, c -> new AtomicLong()).addAndGet(n));
    }

    /** Identities this process committed (the metrics' devices issued). */
    public long committedIssued() {
        return committedIssued.get();
    }

    /** Rows this process rejected with a reason code, in committed chunks. */
    public long committedRejected(String code) {
        AtomicLong n = committedRejected.get(code);
        return n == null ? 0 : n.get();
    }

    void issued(long n) {
        issued.addAndGet(n);
    }

    void rejected(long n) {
        rejected.addAndGet(n);
    }

    void alreadyIssued(long n) {
        alreadyIssued.addAndGet(n);
    }

    /** What a key pool gave an execution's kit in this process, counted when the kit closes. */
    void keyPoolUsed(long fromPool, long madeLive) {
        keysFromPool.addAndGet(fromPool);
        keysMadeLive.addAndGet(madeLive);
    }

    /** Device keys this process took from a key pool ({@code --key-pool}). */
    public long keysFromPool() {
        return keysFromPool.get();
    }

    /** Device keys this process made live because a key pool ran short (or had none of the algorithm). */
    public long keysMadeLive() {
        return keysMadeLive.get();
    }

    /** Rows of the manifest, or -1 before the scan has counted them. */
    public long total() {
        return total.get();
    }

    public long issued() {
        return issued.get();
    }

    public long rejected() {
        return rejected.get();
    }

    public long alreadyIssued() {
        return alreadyIssued.get();
    }

    /**
     * Rows the workers of a remote run have committed in this execution, issued or rejected, as the manager last read
     * them from the JobRepository; 0 in a local run.
     */
    void committedByWorkers(long rows) {
        committedByWorkers.set(rows);
    }

    public long committedByWorkers() {
        return committedByWorkers.get();
    }

    /** Rows finished: by this process (issued, rejected, or found already issued), or by a remote run's workers. */
    public long done() {
        return issued.get() + rejected.get() + alreadyIssued.get() + committedByWorkers.get();
    }
}
