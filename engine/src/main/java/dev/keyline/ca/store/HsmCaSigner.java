package dev.keyline.ca.store;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.operator.ContentSigner;

import dev.keyline.ca.CaException;
import dev.keyline.ca.CaSigner;
import dev.keyline.ca.SignatureAlgorithms;
import dev.keyline.hsm.HsmException;
import dev.keyline.hsm.KeySpec;
import dev.keyline.hsm.Pkcs11Token;
import dev.keyline.hsm.SignerPool;
import dev.keyline.hsm.TokenKey;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.TokenKeySource;

/**
 * A CA key that lives in a PKCS#11 token and signs there. Each certificate borrows one of the token's
 * sessions from a bounded {@link SignerPool} (size: {@code sessions} in the HSM configuration) only for the
 * signature itself. Thread-safe; its {@code toString} names the key's label, never the PIN.
 */
public final class HsmCaSigner implements CaSigner, AutoCloseable {

    private final Pkcs11Token token;
    private final TokenKey key;
    private final SignerPool pool;

    /** Signs with {@code key} using {@code digest} ({@code SHA-256}, {@code SHA-384} or {@code SHA-512}). */
    HsmCaSigner(Pkcs11Token token, TokenKey key, String digest) {
        this.token = Objects.requireNonNull(token, "token");
        this.key = Objects.requireNonNull(key, "key");
        String algorithm;
        try {
            algorithm = SignatureAlgorithms.signatureAlgorithm(algorithmOf(key.publicKey()), digest);
        } catch (IllegalArgumentException e) {
            throw new CaException(e.getMessage());
        }
        try {
            this.pool = token.signerPool(key, algorithm);
        } catch (HsmException e) {
            throw new CaException(e.getMessage(), e);
        }
    }

    /** Signs with the digest that matches the key: SHA-384 for P-384, SHA-256 otherwise. */
    static HsmCaSigner of(Pkcs11Token token, TokenKey key) {
        return new HsmCaSigner(token, key, SignatureAlgorithms.defaultDigest(algorithmOf(key.publicKey())));
    }

    /**
     * Generates a CA key in the token: a token object, sensitive and not extractable, usable only to sign.
     *
     * @throws CaException when the token already holds a key under {@code label}, or cannot make the key
     */
    static HsmCaSigner generate(Pkcs11Token token, KeyAlgorithm algorithm, String label) {
        try {
            if (token.findKey(label).isPresent()) {
                throw new CaException("the token already holds a key under the label \"" + label
                        + "\": choose another --key-label (Keyline never replaces a CA key)");
            }
            return of(token, token.generate(KeySpec.caKey(TokenKeySource.tokenKeyType(algorithm), label)));
        } catch (HsmException e) {
            throw new CaException(e.getMessage(), e);
        }
    }

    /** Stores the CA's certificate chain in the token next to the key, so the key can be found by its label. */
    void storeCertificateChain(List<X509Certificate> chain) {
        try {
            token.storeCertificate(key, chain);
        } catch (HsmException e) {
            throw new CaException(e.getMessage(), e);
        }
    }

    /** The key's CKA_LABEL. */
    public String label() {
        return key.label();
    }

    /** The open token the key lives in, for other work in the same token (one login per token and process). */
    public Pkcs11Token token() {
        return token;
    }

    /**
     * Logs out of the token: this signer stops working, and so does every other key this process opened in the
     * same token, since PKCS#11 keeps one login per token and application.
     */
    @Override
    public void close() {
        token.close();
    }

    /** How the HSM configuration names the token, e.g. {@code token-label: keyline-ca}. */
    public String tokenName() {
        return token.config().token().describe();
    }

    @Override
    public ContentSigner newContentSigner() {
        return pool.newContentSigner();
    }

    @Override
    public PublicKey publicKey() {
        return key.publicKey();
    }

    @Override
    public String signatureAlgorithm() {
        return pool.algorithm();
    }

    @Override
    public CaSigner withDigest(String digest) {
        String wanted;
        try {
            wanted = SignatureAlgorithms.normaliseDigest(digest);
        } catch (IllegalArgumentException e) {
            throw new CaException(e.getMessage());
        }
        return SignatureAlgorithms.digestOf(signatureAlgorithm()).equals(wanted) ? this : new HsmCaSigner(token, key, wanted);
    }

    @Override
    public String toString() {
        return "HsmCaSigner[" + signatureAlgorithm() + ", key \"" + key.label() + "\" in " + token + ", "
                + pool.size() + " sessions]";
    }

    private static KeyAlgorithm algorithmOf(PublicKey publicKey) {
        return KeyAlgorithm.of(publicKey).orElseThrow(() -> new CaException(
                "unsupported CA key (" + publicKey.getAlgorithm() + "): use one of " + KeyAlgorithm.validIds()));
    }
}
