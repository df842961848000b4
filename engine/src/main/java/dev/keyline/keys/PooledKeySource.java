package dev.keyline.keys;

import java.security.KeyPair;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out keys from a {@link KeyPool} for the pool's algorithm, and makes the others (or any key once the pool
 * runs dry) with the live source. Each thread claims whole batches, so threads never contend for single keys and
 * never share one. Thread-safe.
 */
public final class PooledKeySource implements KeySource {

    private final KeyPool pool;
    private final KeySource live;
    private final ThreadLocal<KeyPool.Batch> current = new ThreadLocal<>();
    private final AtomicLong fromPool = new AtomicLong();
    private final AtomicLong madeLive = new AtomicLong();
    private volatile boolean dry;

    public PooledKeySource(KeyPool pool, KeySource live) {
        this.pool = pool;
        this.live = live;
    }

    @Override
    public KeyPair generate(KeyAlgorithm algorithm) {
        if (algorithm == pool.algorithm() && !dry) {
            Optional<KeyPair> pooled = take();
            if (pooled.isPresent()) {
                fromPool.incrementAndGet();
                return pooled.get();
            }
        }
        madeLive.incrementAndGet();
        return live.generate(algorithm);
    }

    private Optional<KeyPair> take() {
        while (true) {
            KeyPool.Batch batch = current.get();
            if (batch != null) {
                Optional<KeyPair> next = batch.next();
                if (next.isPresent()) {
                    return next;
                }
                current.remove();
            }
            Optional<KeyPool.Batch> claimed = pool.claim();
            if (claimed.isEmpty()) {
                dry = true; // from now on every key is made live; the run report says how many
                return Optional.empty();
            }
            current.set(claimed.get());
        }
    }

    /** Keys taken from the pool so far. */
    public long fromPool() {
        return fromPool.get();
    }

    /** Keys made live (another algorithm, or the pool ran dry). */
    public long madeLive() {
        return madeLive.get();
    }

    @Override
    public String toString() {
        return "PooledKeySource[" + pool + ", then " + live + "]";
    }
}
