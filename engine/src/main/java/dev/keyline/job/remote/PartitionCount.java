package dev.keyline.job.remote;

import java.util.Collection;

/**
 * How many ranges a remote run's manifest is split into when {@code --partitions} is not given: four per worker thread
 * alive on the queue at the start, so fast and slow workers even out (a worker that finishes early takes another
 * range) and a lost worker loses a small range; at least 8 when no worker is there yet; never a partition of less
 * than one chunk; at most 1,024, since each partition is a few rows in the JobRepository and a request.
 */
final class PartitionCount {

    static final int PER_THREAD = 4;
    static final int WITHOUT_WORKERS = 8;
    static final int MAX = 1024;

    private PartitionCount() {
    }

    static int choose(long rows, int chunkSize, Collection<WorkerRegistry.WorkerRow> running, String queue) {
        int threads = running.stream().filter(w -> w.identity().queue().equals(queue))
                .mapToInt(w -> w.identity().threads()).sum();
        long wanted = threads == 0 ? WITHOUT_WORKERS : (long) threads * PER_THREAD;
        long chunks = Math.max(1, (rows + chunkSize - 1) / chunkSize);
        return (int) Math.max(1, Math.min(Math.min(wanted, chunks), MAX));
    }
}
