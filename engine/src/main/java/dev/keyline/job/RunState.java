package dev.keyline.job;

import java.util.List;

/**
 * How a run's execution stands, without Spring Batch types.
 *
 * @param running whether its record says it is running (after a kill -9 it still does, until recovered)
 */
public record RunState(long executionId, long instanceId, String status, boolean completed, boolean running,
                       List<Throwable> failures, String exitDescription) {

    public RunState {
        failures = List.copyOf(failures);
    }
}
