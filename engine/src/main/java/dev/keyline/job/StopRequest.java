package dev.keyline.job;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Knows which job execution this process runs, so a request to stop it (a signal) can reach it through
 * {@code JobOperator.stop}, and holds a request that came before the execution existed: the job then stops before its
 * first step instead of starting one. Thread-safe: the request comes from a signal's thread.
 */
final class StopRequest implements JobExecutionListener {

    private static final long NONE = -1;

    private final AtomicLong running = new AtomicLong(NONE);
    private volatile boolean requested;
    /** The execution this process started last; kept after it ends, to tell a run that failed from one that never began. */
    private final AtomicLong started = new AtomicLong(NONE);

    @Override
    public void beforeJob(JobExecution execution) {
        running.set(execution.getId());
        started.set(execution.getId());
        if (requested) {
            // The job checks for STOPPING before each step, so it ends STOPPED without running one.
            execution.setStatus(BatchStatus.STOPPING);
        }
    }

    @Override
    public void afterJob(JobExecution execution) {
        running.compareAndSet(execution.getId(), NONE);
    }

    /** Records the request; returns the execution to stop now, if one runs. */
    OptionalLong request() {
        requested = true;
        long id = running.get();
        return id == NONE ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /** The execution this process started last, even if it has ended (or its end could not be recorded). */
    OptionalLong started() {
        long id = started.get();
        return id == NONE ? OptionalLong.empty() : OptionalLong.of(id);
    }

    boolean requested() {
        return requested;
    }
}
