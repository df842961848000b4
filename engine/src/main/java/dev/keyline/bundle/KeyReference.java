package dev.keyline.bundle;

import java.util.Arrays;
import java.util.Objects;

/**
 * A device private key that the bundle does not hold in the clear: kept in a PKCS#11 token, or exported wrapped
 * under a token's AES key for injection into the device. {@link BundleEncoder} turns it into the bundle's
 * {@code device.key.json} (and {@code device.key.wrapped}). Plain data: the bundle layer knows no PKCS#11.
 */
public sealed interface KeyReference {

    /** The key's algorithm id, e.g. {@code ec-p256}. */
    String keyAlgorithm();

    /** The token the key was made in, by its label. */
    String tokenLabel();

    /**
     * Kept in the token as token objects: sensitive, never extractable, signing only.
     *
     * @param keyLabel CKA_LABEL of both halves (the device id)
     * @param keyIdHex CKA_ID of both halves in hex: SHA-1 of the public key, equal to the certificate's SKI
     */
    record InToken(String tokenLabel, String keyLabel, String keyIdHex, String keyAlgorithm) implements KeyReference {
        public InToken {
            Objects.requireNonNull(tokenLabel, "tokenLabel");
            Objects.requireNonNull(keyLabel, "keyLabel");
            Objects.requireNonNull(keyIdHex, "keyIdHex");
            Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        }
    }

    /**
     * Wrapped for the device: the PKCS#8 PrivateKeyInfo encrypted with {@code mechanism} (RFC 5649) under the
     * token's AES key {@code wrappingKeyLabel}. The key no longer exists anywhere in the clear. Not copied: do not
     * modify {@code wrapped} afterwards. {@code toString} never shows it.
     *
     * @param mechanism the PKCS#11 mechanism name, e.g. {@code CKM_AES_KEY_WRAP_PAD}
     */
    record Wrapped(byte[] wrapped, String mechanism, String wrappingKeyLabel, String tokenLabel, String keyAlgorithm)
            implements KeyReference {
        public Wrapped {
            Objects.requireNonNull(wrapped, "wrapped");
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(wrappingKeyLabel, "wrappingKeyLabel");
            Objects.requireNonNull(tokenLabel, "tokenLabel");
            Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Wrapped w && Arrays.equals(w.wrapped, wrapped) && w.mechanism.equals(mechanism)
                    && w.wrappingKeyLabel.equals(wrappingKeyLabel) && w.tokenLabel.equals(tokenLabel)
                    && w.keyAlgorithm.equals(keyAlgorithm);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(wrapped);
        }

        @Override
        public String toString() {
            return "Wrapped[" + keyAlgorithm + ", " + wrapped.length + " bytes under \"" + wrappingKeyLabel + "\" in \""
                    + tokenLabel + "\" with " + mechanism + "]";
        }
    }
}
