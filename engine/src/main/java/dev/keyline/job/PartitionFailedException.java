package dev.keyline.job;

import dev.keyline.error.KeylineException;

/**
 * A partition of a remote run that failed in a worker, or was lost with it: the worker's exception stays in the
 * worker's process and log, and the manager reads only what the JobRepository kept of it, its exit description.
 */
public final class PartitionFailedException extends KeylineException {

    private static final long serialVersionUID = 1L;

    private final String partition;
    private final String exitCode;

    PartitionFailedException(String partition, String exitCode, String description) {
        super(Kind.FAILURE, description);
        this.partition = partition;
        this.exitCode = exitCode;
    }

    public String partition() {
        return partition;
    }

    /** {@link RemotePartitions#WORKER_LOST}, or what the worker's step ended with. */
    public String exitCode() {
        return exitCode;
    }

    /** The first line of a stored exit description (Spring Batch keeps a stack trace after it), without its frames. */
    static String firstLine(String description) {
        if (description == null || description.isBlank()) {
            return "it failed in its worker (no reason was recorded; see the worker's log)";
        }
        String line = description.strip().lines().findFirst().orElse("");
        return line.length() > 500 ? line.substring(0, 500) + "..." : line;
    }
}
