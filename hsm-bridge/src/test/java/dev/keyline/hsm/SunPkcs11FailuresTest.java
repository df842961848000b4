package dev.keyline.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import javax.security.auth.login.LoginException;

import org.junit.jupiter.api.Test;

/** SoftHSM never locks a PIN, so the mapping of a locked PIN is checked on the failure shape SunPKCS11 produces. */
class SunPkcs11FailuresTest {

    private static final HsmConfig CONFIG = new HsmConfig(Path.of("/etc/hsm.yaml"), Path.of("/lib.so"),
            new TokenSelector.TokenLabel("ca"), Optional.empty(), 2, Duration.ofSeconds(1));

    @Test
    void lockedPinBecomesPinLockedException() {
        assertThat(SunPkcs11Failures.login(loginFailure("CKR_PIN_LOCKED"), CONFIG, "\"ca\""))
                .isInstanceOf(PinLockedException.class).hasMessageContaining("locked").hasMessageContaining("security officer");
    }

    @Test
    void incorrectPinBecomesWrongPinExceptionNamingWhereThePinComesFrom() {
        assertThat(SunPkcs11Failures.login(loginFailure("CKR_PIN_INCORRECT"), CONFIG, "\"ca\""))
                .isInstanceOf(WrongPinException.class).hasMessageContaining("pin-file").hasMessageContaining(HsmPin.ENV);
    }

    @Test
    void uninitialisedUserPinBecomesTokenNotInitialised() {
        assertThat(SunPkcs11Failures.login(loginFailure("CKR_USER_PIN_NOT_INITIALIZED"), CONFIG, "\"ca\""))
                .isInstanceOf(TokenNotInitialisedException.class);
    }

    @Test
    void anyOtherCodeIsReportedByName() {
        assertThat(SunPkcs11Failures.login(loginFailure("CKR_DEVICE_ERROR"), CONFIG, "\"ca\""))
                .isExactlyInstanceOf(HsmException.class).hasMessageContaining("CKR_DEVICE_ERROR");
    }

    /** SunPKCS11's shape: IOException("load failed") <- LoginException <- PKCS11Exception("CKR_..."). */
    private static IOException loginFailure(String code) {
        LoginException login = new LoginException("Login failed");
        login.initCause(new RuntimeException(code));
        return new IOException("load failed", login);
    }
}
