package dev.keyline.ca;

import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Objects;
import java.util.Optional;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;
import dev.keyline.keys.CryptoProvider;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.jcajce.io.OutputStreamFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.RuntimeOperatorException;

import dev.keyline.keys.CryptoProviders;
import dev.keyline.keys.KeyAlgorithm;

/**
 * A CA key held in memory, signing with Bouncy Castle.
 *
 * <p>Built for the issuing hot path: the private key is converted to a Bouncy Castle key once (a key
 * made by one provider and used by another is converted on every signature), the algorithm identifier
 * is computed once, and each thread keeps an initialised {@link Signature} that successive
 * {@link #newContentSigner()} calls borrow and give back. A content signer abandoned half-way only
 * costs the next call a fresh {@code Signature}. Thread-safe.
 */
public final class SoftwareCaSigner implements CaSigner {

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String signatureAlgorithm;
    private final AlgorithmIdentifier algorithmIdentifier;
    private final ThreadLocal<Signature> idle = new ThreadLocal<>();
    private final CryptoProvider provider;

    /** Signs with the digest that matches the key: P-384 with SHA-384, P-256 and RSA with SHA-256. */
    public SoftwareCaSigner(PrivateKey privateKey, PublicKey publicKey) {
        this(privateKey, publicKey, SignatureAlgorithms.defaultDigest(algorithmOf(publicKey)));
    }

    /**
     * Signs with the given digest.
     *
     * @param digest {@code SHA-256}, {@code SHA-384} or {@code SHA-512}
     * @throws CaException for an unsupported key or digest
     */
    public SoftwareCaSigner(PrivateKey privateKey, PublicKey publicKey, String digest) {
        this(privateKey, publicKey, digest, CryptoProvider.BC);
    }

    /**
     * Signs with the given digest through the given provider. The key is converted to that provider's own
     * key type once, here: a key made by one provider and used by another is converted on every signature.
     */
    public SoftwareCaSigner(PrivateKey privateKey, PublicKey publicKey, String digest, CryptoProvider provider) {
        Objects.requireNonNull(privateKey, "privateKey");
        this.provider = provider.resolved();
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        KeyAlgorithm key = algorithmOf(publicKey);
        String normalised;
        try {
            normalised = SignatureAlgorithms.normaliseDigest(digest);
        } catch (IllegalArgumentException e) {
            throw new CaException(e.getMessage());
        }
        this.signatureAlgorithm = SignatureAlgorithms.signatureAlgorithm(key, normalised);
        this.algorithmIdentifier = new DefaultSignatureAlgorithmIdentifierFinder().find(signatureAlgorithm);
        this.privateKey = toProvider(privateKey, key);
        idle.set(newSignature()); // fail now, not on the first certificate, if the key is unusable
    }

    /** The same key with another digest. */
    @Override
    public CaSigner withDigest(String digest) {
        SoftwareCaSigner other = new SoftwareCaSigner(privateKey, publicKey, digest, provider);
        return other.signatureAlgorithm.equals(signatureAlgorithm) ? this : other;
    }

    @Override
    public CaSigner withProvider(CryptoProvider other) {
        return other.resolved() == provider ? this : new SoftwareCaSigner(privateKey, publicKey,
                SignatureAlgorithms.digestOf(signatureAlgorithm), other);
    }

    @Override
    public ContentSigner newContentSigner() {
        Signature signature = idle.get();
        if (signature == null) {
            signature = newSignature();
        } else {
            idle.remove();
        }
        return new OneSignature(signature, Thread.currentThread());
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    @Override
    public String toString() {
        return "SoftwareCaSigner[" + signatureAlgorithm + " via " + provider.describe() + ", private key redacted]";
    }

    private Signature newSignature() {
        try {
            Optional<Provider> p = provider.provider();
            Signature signature = p.isPresent() ? Signature.getInstance(signatureAlgorithm, p.get())
                    : Signature.getInstance(signatureAlgorithm);
            signature.initSign(privateKey, CryptoProviders.threadRandom());
            return signature;
        } catch (GeneralSecurityException e) {
            throw new CaException("the CA key cannot sign with " + signatureAlgorithm + ": " + e.getMessage(), e);
        }
    }

    private static KeyAlgorithm algorithmOf(PublicKey publicKey) {
        return KeyAlgorithm.of(Objects.requireNonNull(publicKey, "publicKey")).orElseThrow(() -> new CaException(
                "unsupported CA key (" + publicKey.getAlgorithm() + "): use one of " + KeyAlgorithm.validIds()));
    }

    private PrivateKey toProvider(PrivateKey key, KeyAlgorithm algorithm) {
        try {
            Optional<Provider> p = provider.provider();
            KeyFactory factory = p.isPresent() ? KeyFactory.getInstance(algorithm.jcaName(), p.get())
                    : KeyFactory.getInstance(algorithm.jcaName());
            byte[] pkcs8 = key.getEncoded();
            return pkcs8 != null ? factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)) : key;
        } catch (GeneralSecurityException | RuntimeException e) {
            return key; // not extractable: let the signature engine deal with it as it is
        }
    }

    /** One signature: borrows a thread's initialised {@link Signature} and gives it back when done. */
    private final class OneSignature implements ContentSigner {

        private final Signature signature;
        private final Thread owner;
        private final OutputStream out;

        OneSignature(Signature signature, Thread owner) {
            this.signature = signature;
            this.owner = owner;
            this.out = OutputStreamFactory.createStream(signature);
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithmIdentifier;
        }

        @Override
        public OutputStream getOutputStream() {
            return out;
        }

        @Override
        public byte[] getSignature() {
            try {
                byte[] value = signature.sign(); // also resets the engine for the next use
                if (Thread.currentThread() == owner && idle.get() == null) {
                    idle.set(signature);
                }
                return value;
            } catch (SignatureException e) {
                throw new RuntimeOperatorException("the CA key failed to sign: " + e.getMessage(), e);
            }
        }
    }
}
