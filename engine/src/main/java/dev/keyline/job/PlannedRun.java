package dev.keyline.job;

/**
 * A run decided on, with its output locked for this process until {@link #close()}: the lock is what lets a later
 * process tell a dead execution from a live one, so it is held for as long as the run goes.
 *
 * @param <P> what was decided
 */
public final class PlannedRun<P extends RunPlan> implements AutoCloseable {

    private final OutputFolder folder;
    private final Provisioning provisioning;
    private final P plan;

    PlannedRun(OutputFolder folder, Provisioning provisioning, P plan) {
        this.folder = folder;
        this.provisioning = provisioning;
        this.plan = plan;
    }

    public P plan() {
        return plan;
    }

    /** The job context of the output, to start or restart the run in. */
    public Provisioning provisioning() {
        return provisioning;
    }

    @Override
    public void close() {
        try {
            provisioning.close();
        } finally {
            folder.close();
        }
    }
}
