package dev.keyline.keys;

import dev.keyline.error.KeylineException;

/**
 * The token already holds a key labelled with this device's id that this output did not make (another output, or
 * another tool): Keyline neither replaces it (its certificate would lose its key) nor adds a second key under the
 * same label. The device is rejected with this reason; the rest of the run goes on.
 */
public class TokenKeyConflictException extends KeylineException {

    private final String deviceId;

    public TokenKeyConflictException(String deviceId, String reason) {
        super(Kind.REJECTED_INPUT, reason);
        this.deviceId = deviceId;
    }

    public String deviceId() {
        return deviceId;
    }
}
