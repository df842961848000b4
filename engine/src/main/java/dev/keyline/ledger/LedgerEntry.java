package dev.keyline.ledger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import dev.keyline.keys.KeyLocation;

/**
 * One issued identity as the ledger keeps it. Holds no secret: no key, no passphrase.
 *
 * @param bundleSums the bundle's files in {@code sha256sum} format ({@code <hex>  <path>} lines, paths relative
 *                   to the output folder), so SHA256SUMS is written without reading the files again
 * @param registration what registering the device needs; empty for identities issued before Keyline stored it,
 *                     and when read for the export, which does not need it
 */
public record LedgerEntry(String outputId, String deviceId, long jobInstanceId, long jobExecutionId, long rowIndex,
                          long sourceLine, String thingName, String certificateId, String serialHex,
                          String publicKeySha256, Instant notBefore, Instant notAfter, String keyAlgorithm,
                          KeyLocation keyLocation, String bundlePath, String bundleSums, IdentityStatus status,
                          Instant issuedAt, Optional<RegistrationInput> registration) {

    public LedgerEntry {
        Objects.requireNonNull(outputId, "outputId");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(certificateId, "certificateId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(registration, "registration");
    }

    public enum IdentityStatus {
        ISSUED
    }
}
