package dev.keyline.hsm;

/** The token's user PIN is locked (CKR_PIN_LOCKED): only the security officer can unlock it. */
public final class PinLockedException extends HsmException {

    public PinLockedException(String message) {
        super(message);
    }

    public PinLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
