package dev.keyline.keys;

import dev.keyline.error.KeylineException;

/**
 * A device key could not be made: the token failed (session closed, token removed, PIN locked, ...). Fatal for the
 * step, not the device: the run fails naming the device and the token's reason, and {@code keyline restart}
 * completes it once the token is back.
 */
public class DeviceKeyException extends KeylineException {

    private final String deviceId;

    public DeviceKeyException(String deviceId, String message, Throwable cause) {
        super(Kind.TRANSIENT, message, cause);
        this.deviceId = deviceId;
    }

    public String deviceId() {
        return deviceId;
    }
}
