package dev.keyline.bundle;

import java.util.Optional;

import dev.keyline.error.KeylineException;

/**
 * A bundle was refused: the input or the configuration cannot be written as asked, and trying again
 * will not help (an invalid device id, a key that cannot be exported, an output directory without POSIX
 * permissions). Unchecked on purpose, so a retry policy keyed on {@link java.io.IOException} (a full
 * disk, an interrupted write) never retries a refusal.
 *
 * <p>Messages name the device and the reason; they never hold key material or the passphrase.
 */
public final class BundleWriteException extends KeylineException {

    private static final long serialVersionUID = 1L;

    private final String deviceId;

    /**
     * @param deviceId the device concerned, or null when the refusal concerns the whole writer
     * @param reason what is wrong and, where possible, what to do about it
     */
    public BundleWriteException(String deviceId, String reason) {
        this(deviceId, reason, null);
    }

    public BundleWriteException(String deviceId, String reason, Throwable cause) {
        // About one device: that device's input is refused; about the writer: the output cannot be used as configured.
        super(deviceId == null ? Kind.CONFIGURATION : Kind.REJECTED_INPUT,
                deviceId == null ? reason : "bundle for device " + DeviceIds.quote(deviceId) + ": " + reason, cause);
        this.deviceId = deviceId;
    }

    /** The device whose bundle was refused; empty when the refusal is about the writer itself. */
    public Optional<String> deviceId() {
        return Optional.ofNullable(deviceId);
    }
}
