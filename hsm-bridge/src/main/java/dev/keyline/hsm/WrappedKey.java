package dev.keyline.hsm;

import java.security.PublicKey;
import java.util.Objects;

/**
 * A device private key made in the token and exported wrapped: {@code wrapped} is its PKCS#8 PrivateKeyInfo
 * encrypted with {@code mechanism} under the token's AES key {@code wrappingKeyLabel}. The key itself no longer
 * exists in the token. {@code toString} never shows the wrapped bytes.
 */
public record WrappedKey(String label, PublicKey publicKey, byte[] wrapped, WrapMechanism mechanism,
        String wrappingKeyLabel) {

    public WrappedKey {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(wrappingKeyLabel, "wrappingKeyLabel");
        wrapped = wrapped.clone();
    }

    @Override
    public byte[] wrapped() {
        return wrapped.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedKey w && w.label.equals(label) && java.util.Arrays.equals(w.wrapped, wrapped);
    }

    @Override
    public int hashCode() {
        return label.hashCode();
    }

    @Override
    public String toString() {
        return "WrappedKey[" + label + ", " + publicKey.getAlgorithm() + ", " + wrapped.length + " bytes under "
                + wrappingKeyLabel + " with " + mechanism.pkcs11Name() + "]";
    }
}
