package dev.keyline.hsm;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.util.Objects;

/**
 * A key pair whose private half is in the token, with the provider instance that owns it: SunPKCS11 signs
 * only with keys of its own instance, so signatures must be made through {@link #provider()}.
 */
public record TokenKey(String label, PrivateKey privateKey, PublicKey publicKey, Provider provider) {

    public TokenKey {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(provider, "provider");
    }

    /** CKA_TOKEN, CKA_SENSITIVE and CKA_EXTRACTABLE as the token reported them when the key was opened. */
    public KeyAttributes attributes() {
        return SunPkcs11KeyDescription.attributesOf(privateKey);
    }

    @Override
    public String toString() {
        return "TokenKey[" + label + ", " + publicKey.getAlgorithm() + ", in " + provider.getName() + "]";
    }
}
