package dev.keyline.keys;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;

import dev.keyline.bundle.KeyReference;

/**
 * A device's key as a {@link KeySource} made it: the public key to certify, and where the private key is — in
 * memory for the bundle's key file ({@code privateKey}), or not held in the clear ({@code reference}: kept in a
 * token, or wrapped for injection). {@code toString} never shows key material.
 */
public record DeviceKey(PublicKey publicKey, PrivateKey privateKey, Optional<KeyReference> reference,
                        KeyLocation location) {

    public DeviceKey {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(location, "location");
        if ((privateKey == null) == reference.isEmpty()) {
            throw new IllegalArgumentException("a device key has either its private key or a reference to it");
        }
    }

    /** A key pair made in software: the private key goes into the bundle. */
    public static DeviceKey inBundle(KeyPair pair) {
        return new DeviceKey(pair.getPublic(), pair.getPrivate(), Optional.empty(), KeyLocation.BUNDLE);
    }

    /** A key kept in a token. */
    public static DeviceKey inToken(PublicKey publicKey, KeyReference.InToken reference) {
        return new DeviceKey(publicKey, null, Optional.of(reference), KeyLocation.HSM);
    }

    /** A key made in a token and exported wrapped: the bundle carries the ciphertext. */
    public static DeviceKey wrapped(PublicKey publicKey, KeyReference.Wrapped reference) {
        return new DeviceKey(publicKey, null, Optional.of(reference), KeyLocation.WRAPPED);
    }

    @Override
    public String toString() {
        return "DeviceKey[" + publicKey.getAlgorithm() + ", " + location + reference.map(r -> ", " + r).orElse("") + "]";
    }
}
