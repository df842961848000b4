package dev.keyline.keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.PublicKey;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA1Digest;

/** Key identifiers for the SKI and AKI extensions. Thread-safe. */
public final class KeyIdentifiers {

    /** ACCP's SHA-1 for this thread, once ACCP has loaded: native, where Bouncy Castle's is Java. */
    private static final ThreadLocal<MessageDigest> ACCP_SHA1 = new ThreadLocal<>();

    private KeyIdentifiers() {
    }

    /**
     * RFC 5280 section 4.2.1.2 method 1: the SHA-1 of the subjectPublicKey BIT STRING's bits
     * (without tag, length and unused-bits octet). OpenSSL computes the same value.
     */
    public static byte[] subjectKeyIdentifier(PublicKey key) {
        return subjectKeyIdentifier(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
    }

    /** As {@link #subjectKeyIdentifier(PublicKey)}, for an already parsed key. */
    public static byte[] subjectKeyIdentifier(SubjectPublicKeyInfo info) {
        byte[] bits = info.getPublicKeyData().getBytes();
        return subjectKeyIdentifier(bits, 0, bits.length);
    }

    /**
     * As {@link #subjectKeyIdentifier(PublicKey)}, from the subjectPublicKey bits found in place in an encoding
     * (the octets after the BIT STRING's unused-bits octet), for callers that read the encoding themselves.
     */
    public static byte[] subjectKeyIdentifier(byte[] encoding, int offset, int length) {
        MessageDigest accpDigest = accpSha1();
        if (accpDigest != null) {
            accpDigest.update(encoding, offset, length);
            return accpDigest.digest();
        }
        SHA1Digest sha1 = new SHA1Digest(); // the light-weight digest: no provider lookup per call
        sha1.update(encoding, offset, length);
        byte[] out = new byte[sha1.getDigestSize()];
        sha1.doFinal(out, 0);
        return out;
    }

    private static MessageDigest accpSha1() {
        Provider accp = CryptoProviders.loadedAccp();
        if (accp == null) {
            return null;
        }
        MessageDigest digest = ACCP_SHA1.get();
        if (digest == null) {
            try {
                digest = MessageDigest.getInstance("SHA-1", accp);
            } catch (NoSuchAlgorithmException e) {
                return null;
            }
            ACCP_SHA1.set(digest);
        }
        return digest;
    }
}
