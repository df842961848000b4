package dev.keyline.keys;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Fills a {@link KeyPool}: makes keys on several threads and seals them in batches, each batch visible only once
 * complete. Meant to run ahead of the night's batch (during the day, on spare machines), so RSA keygen is off the
 * issuing path.
 */
public final class KeyPoolFiller {

    private final KeyPool pool;
    private final KeySource keys;
    private final int batchSize;

    public KeyPoolFiller(KeyPool pool, KeySource keys, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1");
        }
        this.pool = pool;
        this.keys = keys;
        this.batchSize = batchSize;
    }

    /**
     * Adds {@code count} keys.
     *
     * @param progress told the running total after each batch
     * @return the number of keys added
     */
    public long fill(long count, int threads, LongConsumer progress) throws InterruptedException {
        AtomicLong remaining = new AtomicLong(count);
        AtomicLong added = new AtomicLong();
        ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "keyline-keypool");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                jobs.add(workers.submit(() -> {
                    while (true) {
                        long want = Math.min(batchSize, remaining.getAndAdd(-batchSize));
                        if (want <= 0) {
                            return null;
                        }
                        List<KeyPair> batch = new ArrayList<>((int) want);
                        for (int k = 0; k < want; k++) {
                            if (Thread.currentThread().isInterrupted()) {
                                return null;
                            }
                            batch.add(keys.generate(pool.algorithm()));
                        }
                        pool.addBatch(batch);
                        progress.accept(added.addAndGet(want));
                    }
                }));
            }
            for (Future<?> job : jobs) {
                try {
                    job.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new KeyPoolException("filling the key pool failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
            return added.get();
        } finally {
            workers.shutdownNow();
        }
    }
}
