package dev.keyline.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One issued identity as the ledger keeps it. Holds no secret: no key, no passphrase.
 *
 * @param keyLocation where the device's private key is, as the domain names it ({@code keys.KeyLocation}'s names):
 *                    the ledger stores the name and knows one value, {@link #DEVICE_MADE_KEY}
 * @param bundleSums the bundle's files in {@code sha256sum} format ({@code <hex>  <path>} lines, paths relative
 *                   to the output folder), so SHA256SUMS is written without reading the files again; empty for a
 *                   bundle in an archive (the archive layout), whose SHA256SUMS line is the archive's
 * @param registration what registering the device needs; empty for identities issued before Keyline stored it,
 *                     and when read for the export, which does not need it
 */
public record LedgerEntry(String outputId, String deviceId, long jobInstanceId, long jobExecutionId, long rowIndex,
                          long sourceLine, String thingName, String certificateId, String serialHex,
                          String publicKeySha256, Instant notBefore, Instant notAfter, String keyAlgorithm,
                          String keyLocation, String bundlePath, String bundleSums, IdentityStatus status,
                          Instant issuedAt, Optional<RegistrationInput> registration) {

    /** The key location of a key the device made itself (a CSR): such keys are also kept in device_made_key. */
    public static final String DEVICE_MADE_KEY = "DEVICE";

    public LedgerEntry {
        Objects.requireNonNull(outputId, "outputId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(certificateId, "certificateId");
        Objects.requireNonNull(keyLocation, "keyLocation");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(registration, "registration");
    }

    public enum IdentityStatus {
        ISSUED
    }
}
