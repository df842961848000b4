package dev.keyline.keys;

import java.security.PublicKey;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA1Digest;

/** Key identifiers for the SKI and AKI extensions. Thread-safe. */
public final class KeyIdentifiers {

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
        SHA1Digest sha1 = new SHA1Digest(); // the light-weight digest: no provider lookup per call
        sha1.update(bits, 0, bits.length);
        byte[] out = new byte[sha1.getDigestSize()];
        sha1.doFinal(out, 0);
        return out;
    }
}
