package dev.keyline.hsm;

/** The token refused the user PIN (CKR_PIN_INCORRECT). */
public final class WrongPinException extends HsmException {

    public WrongPinException(String message) {
        super(message);
    }

    public WrongPinException(String message, Throwable cause) {
        super(message, cause);
    }
}
