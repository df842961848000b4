package dev.keyline.job;

import dev.keyline.error.KeylineException;

/**
 * A device named to {@code keyline deregister} that it cannot take back as asked: the output has no such device, or
 * the device is not registered with a target named. Refused before any call (exit code 2).
 */
public final class DeviceSelectionException extends KeylineException {

    private static final long serialVersionUID = 1L;

    private final String deviceId;

    DeviceSelectionException(String deviceId, String message) {
        super(Kind.REJECTED_INPUT, message);
        this.deviceId = deviceId;
    }

    /** The first device refused. */
    public String deviceId() {
        return deviceId;
    }
}
