package dev.keyline.hsm;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * A bounded pool of raw read-write sessions on one slot: borrow, use, give back, with a timeout, like
 * {@link SignerPool} for signatures. Sessions are opened lazily, at most {@code size}; a session on which the token
 * reported it lost (closed, token removed) is closed and forgotten instead of given back. Thread-safe.
 */
final class TokenSessions implements AutoCloseable {

    private final JdkInternalPkcs11 module;
    private final long slotId;
    private final String description;
    private final Duration timeout;
    private final Semaphore permits;
    private final BlockingQueue<Long> idle;
    private volatile boolean closed;

    TokenSessions(JdkInternalPkcs11 module, long slotId, String description, int size, Duration timeout) {
        this.module = module;
        this.slotId = slotId;
        this.description = description;
        this.timeout = timeout;
        this.permits = new Semaphore(size, true);
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /** Runs {@code work} on a borrowed session and gives the session back. */
    <T> T with(LongFunction<T> work) {
        if (closed) {
            throw new IllegalStateException("the device keys of the token " + description + " are closed");
        }
        try {
            if (!permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SignerPoolExhaustedException("no session of the token " + description + " became free within "
                        + timeout.toSeconds() + " s: raise `sessions` or `session-timeout-seconds` in the HSM configuration");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HsmException("interrupted while waiting for a session of the token " + description, e);
        }
        Long session = null;
        try {
            session = idle.poll();
            if (session == null) {
                session = module.openSession(slotId);
            }
            T result = work.apply(session);
            idle.add(session);
            session = null;
            return result;
        } catch (Pkcs11CallException e) {
            if (session != null && !e.sessionLost()) {
                idle.add(session);
                session = null;
            }
            throw e;
        } finally {
            if (session != null) {
                closeQuietly(session);
            }
            permits.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        Long session;
        while ((session = idle.poll()) != null) {
            closeQuietly(session);
        }
    }

    private void closeQuietly(long session) {
        try {
            module.closeSession(session);
        } catch (HsmException e) {
            // the session is gone already (token removed, module finalised): nothing to give back
        }
    }
}
