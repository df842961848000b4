package dev.keyline.hsm;

import java.util.Objects;

/** An AES key in the token that device keys are wrapped under, found by its label; see {@link TokenDeviceKeys#wrappingKey}. */
public final class WrappingKey {

    private final String label;
    private final WrapMechanism mechanism;
    private final long handle;

    WrappingKey(String label, WrapMechanism mechanism, long handle) {
        this.label = Objects.requireNonNull(label, "label");
        this.mechanism = Objects.requireNonNull(mechanism, "mechanism");
        this.handle = handle;
    }

    /** The AES key's CKA_LABEL. */
    public String label() {
        return label;
    }

    public WrapMechanism mechanism() {
        return mechanism;
    }

    long handle() {
        return handle;
    }

    @Override
    public String toString() {
        return "WrappingKey[" + label + ", " + mechanism.pkcs11Name() + "]";
    }
}
