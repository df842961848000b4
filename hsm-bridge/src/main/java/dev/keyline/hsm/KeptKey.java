package dev.keyline.hsm;

import java.security.PublicKey;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A device key pair kept in the token: token objects (private: sensitive, not extractable, sign only) under
 * {@code label}, with CKA_ID = {@code id}, the SHA-1 of the public key's bits (RFC 5280 key identifier method 1,
 * so the device certificate's subjectKeyIdentifier equals the CKA_ID).
 */
public record KeptKey(String label, byte[] id, PublicKey publicKey) {

    public KeptKey {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(publicKey, "publicKey");
        id = id.clone();
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    /** CKA_ID in lowercase hex. */
    public String idHex() {
        return HexFormat.of().formatHex(id);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeptKey k && k.label.equals(label) && java.util.Arrays.equals(k.id, id)
                && k.publicKey.equals(publicKey);
    }

    @Override
    public int hashCode() {
        return label.hashCode() * 31 + java.util.Arrays.hashCode(id);
    }

    @Override
    public String toString() {
        return "KeptKey[" + label + ", id " + idHex() + ", " + publicKey.getAlgorithm() + "]";
    }
}
