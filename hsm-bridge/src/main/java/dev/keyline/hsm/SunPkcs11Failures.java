package dev.keyline.hsm;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns SunPKCS11 failures into Keyline's exceptions by the PKCS#11 return value they carry.
 *
 * <p>Why by message: SunPKCS11 wraps the module's CKR_ code in {@code sun.security.pkcs11.wrapper.PKCS11Exception},
 * a JDK-internal type, whose message is the code's name ({@code CKR_PIN_INCORRECT}); login failures arrive as
 * a {@code LoginException} or {@code IOException} with it as the cause. The name is stable (it is the
 * standard's), the type is not ours to import.
 */
final class SunPkcs11Failures {

    private static final Pattern CKR = Pattern.compile("CKR_[A-Z_]+");

    private SunPkcs11Failures() {
    }

    /** The first CKR_ name in the cause chain, e.g. {@code CKR_PIN_INCORRECT}. */
    static Optional<String> returnValue(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                Matcher m = CKR.matcher(t.getMessage());
                if (m.find()) {
                    return Optional.of(m.group());
                }
            }
        }
        return Optional.empty();
    }

    /** The exception to throw for a failed login to {@code token} configured in {@code config}. */
    static HsmException login(Throwable failure, HsmConfig config, String token) {
        String code = returnValue(failure).orElse("");
        return switch (code) {
            case "CKR_PIN_INCORRECT", "CKR_PIN_LEN_RANGE" -> new WrongPinException("the token " + token
                    + " refused the user PIN (" + code + "): check `pin-file` in " + config.source() + " or "
                    + HsmPin.ENV + "; the token locks the PIN after a few wrong tries", failure);
            case "CKR_PIN_LOCKED" -> new PinLockedException("the user PIN of the token " + token
                    + " is locked (CKR_PIN_LOCKED) after too many wrong tries: the security officer must unlock "
                    + "or reset it (SoftHSM: softhsm2-util --init-pin ... --so-pin ...)", failure);
            case "CKR_USER_PIN_NOT_INITIALIZED", "CKR_TOKEN_NOT_RECOGNIZED" -> new TokenNotInitialisedException(
                    "the token " + token + " is not initialised (" + code + "): initialise it with the vendor's tool "
                    + "(SoftHSM: softhsm2-util --init-token --label LABEL --so-pin ... --pin ...) or choose another "
                    + "token in " + config.source(), failure);
            case "CKR_TOKEN_NOT_PRESENT", "CKR_SLOT_ID_INVALID", "CKR_DEVICE_REMOVED" -> new NoSuchTokenException(
                    "no token at " + token + " (" + code + "): check " + config.token().describe() + " in "
                    + config.source(), failure);
            default -> new HsmException("cannot log in to the token " + token + " ("
                    + (code.isEmpty() ? failure.getMessage() : code) + ")", failure);
        };
    }
}
