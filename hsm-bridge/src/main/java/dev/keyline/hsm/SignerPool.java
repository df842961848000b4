package dev.keyline.hsm;

import java.security.GeneralSecurityException;
import java.security.ProviderException;
import java.security.Signature;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * A bounded pool of signature engines for one token key: borrow, sign, give back, with a timeout.
 *
 * <p>A SunPKCS11 {@link Signature} holds one token session from {@code initSign} until {@code sign} returns,
 * so at most {@code size} signing sessions are ever open on the token through this pool, whatever the number
 * of threads: concurrency against the HSM is set here, explicitly, and a thread that finds every engine busy
 * for longer than the timeout fails with {@link SignerPoolExhaustedException} instead of waiting forever.
 * Engines are made lazily, up to {@code size}. Thread-safe.
 */
public final class SignerPool {

    private final TokenKey key;
    private final String algorithm;
    private final AlgorithmIdentifier algorithmIdentifier;
    private final int size;
    private final Duration timeout;
    private final Semaphore permits;
    private final BlockingQueue<Signature> idle;

    /**
     * @param size    the most signatures at once, i.e. the most token sessions this pool occupies
     * @param timeout how long {@link #borrow()} waits for a free engine
     */
    public SignerPool(TokenKey key, String algorithm, int size, Duration timeout) {
        this.key = Objects.requireNonNull(key, "key");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (size < 1) {
            throw new IllegalArgumentException("a signer pool needs at least one signer");
        }
        this.size = size;
        this.permits = new Semaphore(size, true);
        this.idle = new ArrayBlockingQueue<>(size);
        this.algorithmIdentifier = new DefaultSignatureAlgorithmIdentifierFinder().find(algorithm);
        idle.add(newSignature()); // fail now, not on the first certificate, if the key cannot sign
    }

    /** The most signatures this pool makes at once. */
    public int size() {
        return size;
    }

    /** The JCA signature algorithm, e.g. {@code SHA256withECDSA}. */
    public String algorithm() {
        return algorithm;
    }

    public TokenKey key() {
        return key;
    }

    /**
     * Signs {@code data} with a borrowed engine and gives it back.
     *
     * @throws SignerPoolExhaustedException when no engine became free within the timeout
     * @throws HsmException                 when the token fails to sign
     */
    public byte[] sign(byte[] data) {
        try (Lease lease = borrow()) {
            return lease.sign(data);
        }
    }

    /**
     * Borrows an engine, waiting at most the pool's timeout; give it back by closing the lease.
     *
     * @throws SignerPoolExhaustedException when every engine stayed busy for the whole timeout
     */
    public Lease borrow() {
        acquire();
        Signature signature = idle.poll();
        if (signature == null) {
            try {
                signature = newSignature();
            } catch (RuntimeException e) {
                permits.release();
                throw e;
            }
        }
        return new Lease(signature);
    }

    /** One borrowed engine. Not thread-safe: the borrowing thread uses it, then closes it. */
    public final class Lease implements AutoCloseable {

        private Signature signature;
        private boolean broken;

        private Lease(Signature signature) {
            this.signature = signature;
        }

        /** Signs {@code data}; may be called more than once while the lease is held. */
        public byte[] sign(byte[] data) {
            if (signature == null) {
                throw new IllegalStateException("this lease was given back");
            }
            try {
                signature.update(data);
                return signature.sign(); // also re-initialises the engine for the next use
            } catch (GeneralSecurityException | ProviderException e) {
                broken = true; // its session state is unknown: do not hand it to anyone else
                throw new HsmException("the token failed to sign with " + key.label() + " (" + algorithm + "): "
                        + SunPkcs11Failures.returnValue(e).orElse(String.valueOf(e.getMessage())), e);
            }
        }

        /** Gives the engine back (a failed one is dropped and replaced on demand). */
        @Override
        public void close() {
            if (signature == null) {
                return;
            }
            if (!broken) {
                idle.offer(signature);
            }
            signature = null;
            permits.release();
        }
    }

    /**
     * A content signer for exactly one signature. It buffers what is written (a to-be-signed certificate is a
     * few hundred bytes) and borrows an engine only inside {@code getSignature()}, so an abandoned signer
     * never holds a session.
     */
    public ContentSigner newContentSigner() {
        return new TokenContentSigner(this, algorithmIdentifier);
    }

    @Override
    public String toString() {
        return "SignerPool[" + key.label() + ", " + algorithm + ", " + size + " sessions]";
    }

    private void acquire() {
        try {
            if (!permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SignerPoolExhaustedException("all " + size + " token sessions for " + key.label()
                        + " stayed busy for " + timeout.toMillis() + " ms: raise `sessions` or "
                        + "`session-timeout-seconds` in the HSM configuration, or use fewer threads");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignerPoolExhaustedException("interrupted while waiting for a token session for " + key.label(), e);
        }
    }

    private Signature newSignature() {
        try {
            Signature signature = Signature.getInstance(algorithm, key.provider());
            signature.initSign(key.privateKey());
            return signature;
        } catch (GeneralSecurityException | ProviderException e) {
            throw new HsmException("the token key " + key.label() + " cannot sign with " + algorithm + ": "
                    + SunPkcs11Failures.returnValue(e).orElse(String.valueOf(e.getMessage())), e);
        }
    }
}
