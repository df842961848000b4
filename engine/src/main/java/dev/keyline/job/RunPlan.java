package dev.keyline.job;

import java.util.Optional;

/** What {@link Runs} decided to do with a run, for the caller to report and hand to {@link Provisioning}. */
public sealed interface RunPlan {

    /** The run of this manifest into this output completed earlier: nothing to do. */
    record AlreadyCompleted(RunState run) implements RunPlan {
    }

    /**
     * A new run.
     *
     * @param spaceWarning one line to show when the output's disk has less room than the run will take
     */
    record Start(RunRequest request, Optional<String> spaceWarning) implements RunPlan {
    }

    /**
     * The next execution of an unfinished run, from its last committed chunk.
     *
     * @param previous the execution it follows (one that still reads as running died: the caller holds the lock)
     * @param request  the settings the run started with, whatever the command line says now
     */
    record Resume(RunState previous, RunRequest request) implements RunPlan {
    }
}
