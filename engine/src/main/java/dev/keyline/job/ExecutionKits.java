package dev.keyline.job;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;

import dev.keyline.keys.PooledKeySource;

/**
 * The kit of each job execution this process works on, opened from the execution's own job parameters when the
 * first of its partitions here starts, and closed when the last one here ends. Nothing is handed over by whoever
 * launched the run: any process that holds the secrets, the CLI's or a worker's, rebuilds the same kit from the
 * parameters, which is what lets partitions run in other processes. A worker that takes partitions one after another
 * opens the kit again for each; that costs one unlock per partition, and holds no CA session between runs.
 *
 * <p>Thread-safe: the partitions of an execution lease its kit concurrently and share one.
 */
public final class ExecutionKits {

    private static final Logger log = LoggerFactory.getLogger(ExecutionKits.class);

    private final KitOpener opener;
    private final ProvisionProgress progress;
    private final Map<Long, Lease> leases = new HashMap<>();
    private long csrKeysLeftBehind;

    private static final class Lease {
        final ExecutionKit kit;
        int holders;

        Lease(ExecutionKit kit) {
            this.kit = kit;
        }
    }

    public ExecutionKits(KitOpener opener, ProvisionProgress progress) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * The kit of this execution for one of its partitions, opened now if none of them holds it here; each lease is
     * given back with {@link #release(long)}. Opening happens under the lock, so two partitions never unlock twice.
     */
    public synchronized ExecutionKit lease(JobExecution execution) {
        Lease lease = leases.get(execution.getId());
        if (lease == null) {
            lease = new Lease(ExecutionKit.of(opener.open(RunRequest.of(execution.getJobParameters()))));
            leases.put(execution.getId(), lease);
        }
        lease.holders++;
        return lease.kit;
    }

    /** Gives a partition's lease back; the last one here closes the kit. */
    public synchronized void release(long executionId) {
        Lease lease = leases.get(executionId);
        if (lease == null || --lease.holders > 0) {
            return;
        }
        leases.remove(executionId);
        // Every chunk's transaction has ended, so each chunk took its CSR keys out again (DeviceProvisioner.chunkEnded).
        int left = lease.kit.csrKeys().size();
        if (left > 0) {
            csrKeysLeftBehind += left;
            log.warn("execution {} ended here with {} CSR keys still marked in flight", executionId, left);
        }
        if (lease.kit.kit().keySource() instanceof PooledKeySource pooled) {
            progress.keyPoolUsed(pooled.fromPool(), pooled.madeLive());
        }
        try {
            lease.kit.kit().close();
        } catch (RuntimeException e) {
            // Closing a token's session can fail when the token went away; the execution's outcome stands.
            log.warn("closing the issuance kit of execution {} failed: {}", executionId, e.getMessage());
        }
    }

    /** CSR keys that were still marked in flight when their execution's kit closed: always 0 unless a chunk leaked. */
    synchronized long csrKeysLeftBehind() {
        return csrKeysLeftBehind;
    }
}
