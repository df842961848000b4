package dev.keyline.device;

import dev.keyline.error.KeylineException;

/**
 * A manifest row that cannot be issued. The row goes to rejects.csv with this line and reason; the rest of the
 * batch goes on.
 */
public class InvalidDeviceException extends KeylineException {

    private final long line;
    private final String deviceId;
    private final String reason;

    public InvalidDeviceException(long line, String deviceId, String reason) {
        this(line, deviceId, reason, null);
    }

    /**
     * @param cause the value object's own exception (e.g. an InvalidSubjectException), kept so a linter can report
     *              the field and value it names; may be null
     */
    public InvalidDeviceException(long line, String deviceId, String reason, Throwable cause) {
        super(Kind.REJECTED_INPUT, "line " + line + (deviceId == null ? "" : " (" + deviceId + ")") + ": " + reason, cause);
        this.line = line;
        this.deviceId = deviceId;
        this.reason = reason;
    }

    public long line() {
        return line;
    }

    /** The device id as written in the row, possibly invalid, or null when the row has none. */
    public String deviceId() {
        return deviceId;
    }

    public String reason() {
        return reason;
    }
}
