package dev.keyline.ca;

import dev.keyline.keys.CryptoProvider;

import java.security.PublicKey;

import org.bouncycastle.operator.ContentSigner;

/**
 * The CA's signing key, wherever it lives: in memory ({@link SoftwareCaSigner}) or in a PKCS#11 token
 * ({@code ca.store.HsmCaSigner}). Certificate construction only ever sees this seam.
 *
 * <p>Implementations are thread-safe; the {@link ContentSigner}s they hand out are not.
 */
public interface CaSigner {

    /**
     * A fresh signer for exactly one signature: write the to-be-signed bytes to its output stream,
     * then call {@code getSignature()} once. Cheap: call it per certificate.
     */
    ContentSigner newContentSigner();

    /** The CA's public key. */
    PublicKey publicKey();

    /** The JCA signature algorithm, e.g. {@code SHA256withECDSA}. */
    String signatureAlgorithm();

    /**
     * This key with another digest ({@code SHA-256}, {@code SHA-384} or {@code SHA-512}); this signer
     * itself when the digest is already the one in use.
     *
     * @throws CaException when this key cannot sign with that digest
     */
    default CaSigner withDigest(String digest) {
        String wanted;
        try {
            wanted = SignatureAlgorithms.normaliseDigest(digest);
        } catch (IllegalArgumentException e) {
            throw new CaException(e.getMessage());
        }
        if (SignatureAlgorithms.digestOf(signatureAlgorithm()).equals(wanted)) {
            return this;
        }
        throw new CaException(getClass().getSimpleName() + " signs with " + signatureAlgorithm()
                + " only and cannot use " + digest);
    }

    /**
     * The same key, signing through another software provider. Keys that live in a token ignore the choice:
     * the token signs.
     */
    default CaSigner withProvider(CryptoProvider provider) {
        return this;
    }
}
