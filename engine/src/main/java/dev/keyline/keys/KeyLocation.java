package dev.keyline.keys;

/**
 * Where a device's private key is. The ledger stores the constant's name in {@code device_identity.key_location}:
 * renaming a constant would leave stored rows unreadable.
 */
public enum KeyLocation {
    /** In the bundle on disk (made in software). */
    BUNDLE,
    /** In an HSM token, never on disk. */
    HSM,
    /** In the bundle, wrapped under an HSM's AES key for injection into the device; never in the clear. */
    WRAPPED,
    /** On the device, which sent a CSR. */
    DEVICE
}
