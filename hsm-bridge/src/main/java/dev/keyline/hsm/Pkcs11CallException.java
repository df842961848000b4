package dev.keyline.hsm;

import java.nio.file.Path;

/**
 * A PKCS#11 function returned an error: names the function and the standard CKR_ code (e.g.
 * {@code CKR_DEVICE_REMOVED}, {@code CKR_USER_NOT_LOGGED_IN}), never a PIN or key value.
 */
public class Pkcs11CallException extends HsmException {

    private final String function;
    private final String returnValue;

    Pkcs11CallException(String function, String returnValue, Path library, Throwable cause) {
        super(function + " failed with " + returnValue + " (module " + library + ")", cause);
        this.function = function;
        this.returnValue = returnValue;
    }

    /** The PKCS#11 function, e.g. {@code C_GenerateKeyPair}. */
    public String function() {
        return function;
    }

    /** The CKR_ name the module returned, e.g. {@code CKR_SESSION_HANDLE_INVALID}. */
    public String returnValue() {
        return returnValue;
    }

    /** Whether the session it happened on is no longer usable (closed, or the token is gone). */
    boolean sessionLost() {
        return switch (returnValue) {
            case "CKR_SESSION_HANDLE_INVALID", "CKR_SESSION_CLOSED", "CKR_DEVICE_REMOVED", "CKR_TOKEN_NOT_PRESENT",
                    "CKR_DEVICE_ERROR", "CKR_CRYPTOKI_NOT_INITIALIZED" -> true;
            default -> false;
        };
    }
}
