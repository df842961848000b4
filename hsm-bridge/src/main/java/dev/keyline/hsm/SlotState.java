package dev.keyline.hsm;

import java.util.Optional;

/**
 * One slot of a PKCS#11 module as C_GetSlotInfo and C_GetTokenInfo describe it.
 *
 * @param index position in the module's slot list (C_GetSlotList), from 0
 * @param id    the PKCS#11 slot id
 * @param token the token in the slot; empty when none is present
 */
public record SlotState(int index, long id, Optional<TokenState> token) {

    /**
     * @param label            the token label, trailing blanks removed
     * @param initialised      CKF_TOKEN_INITIALIZED
     * @param userPinSet       CKF_USER_PIN_INITIALIZED
     * @param userPinLocked    CKF_USER_PIN_LOCKED
     */
    public record TokenState(String label, boolean initialised, boolean userPinSet, boolean userPinLocked) {
    }
}
