package dev.keyline.hsm;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The slot a configuration chooses, as a SunPKCS11 configuration line, after checking what can be checked
 * before login: the slot exists, holds a token, the token is initialised and its user PIN is not locked.
 *
 * @param slotId     the PKCS#11 slot id; empty when the JDK's binding is not open (SunPKCS11 then picks the slot)
 * @param tokenLabel the token's label; empty when unknown for the same reason
 */
record SlotChoice(String configLine, String description, OptionalLong slotId, Optional<String> tokenLabel) {

    static SlotChoice resolve(HsmConfig config) {
        Optional<List<SlotState>> listed = JdkInternalSlotList.read(config.library());
        TokenSelector selector = config.token();
        if (listed.isEmpty()) {
            // Without the slot list only SunPKCS11's own selection remains; a label cannot be matched.
            if (selector instanceof TokenSelector.SlotIndex i) {
                return new SlotChoice("slotListIndex = " + i.index(), "at " + i.describe(), OptionalLong.empty(), Optional.empty());
            }
            if (selector instanceof TokenSelector.SlotId s) {
                return new SlotChoice("slot = " + s.id(), "at " + s.describe(), OptionalLong.of(s.id()), Optional.empty());
            }
            throw new HsmConfigException("finding a token by " + selector.describe()
                    + " needs the JVM option " + JdkInternalSlotList.ADD_EXPORTS + " (the keyline launcher sets it): "
                    + "add it to KEYLINE_JAVA_OPTS or your java command, or use slot-id or slot-index in "
                    + config.source());
        }
        List<SlotState> slots = listed.get();
        SlotState slot = slots.stream().filter(s -> matches(selector, s)).findFirst()
                .orElseThrow(() -> new NoSuchTokenException("no token matches " + selector.describe() + " in "
                        + config.source() + " (module " + config.library() + "); the module has " + inventory(slots)));
        String description = "\"" + slot.token().map(SlotState.TokenState::label).orElse("") + "\" (slot id " + slot.id() + ")";
        SlotState.TokenState token = slot.token().orElseThrow(() -> new NoSuchTokenException(
                "slot id " + slot.id() + " chosen by " + selector.describe() + " in " + config.source()
                        + " holds no token: insert it or choose another slot"));
        if (!token.initialised() || !token.userPinSet()) {
            throw new TokenNotInitialisedException("the token in slot id " + slot.id() + " chosen by "
                    + selector.describe() + " in " + config.source() + " is not initialised"
                    + (token.initialised() ? " (it has no user PIN)" : "")
                    + ": initialise it (SoftHSM: softhsm2-util --init-token --free --label LABEL --so-pin ... --pin ...) "
                    + "or choose another token; the module has " + inventory(slots));
        }
        if (token.userPinLocked()) {
            throw new PinLockedException("the user PIN of the token " + description + " is locked (CKF_USER_PIN_LOCKED): "
                    + "the security officer must unlock or reset it before Keyline can log in");
        }
        return new SlotChoice("slot = " + slot.id(), description, OptionalLong.of(slot.id()), Optional.of(token.label()));
    }

    private static boolean matches(TokenSelector selector, SlotState slot) {
        if (selector instanceof TokenSelector.SlotIndex i) {
            return slot.index() == i.index();
        }
        if (selector instanceof TokenSelector.SlotId s) {
            return slot.id() == s.id();
        }
        String label = ((TokenSelector.TokenLabel) selector).label().stripTrailing();
        return slot.token().filter(t -> t.initialised() && t.label().equals(label)).isPresent();
    }

    /** The slots for an error message: index, id and label of each. */
    private static String inventory(List<SlotState> slots) {
        if (slots.isEmpty()) {
            return "no slots";
        }
        return slots.stream().map(s -> "slot-index " + s.index() + " / slot-id " + s.id() + ": "
                + s.token().map(t -> t.initialised() ? "token \"" + t.label() + "\"" : "uninitialised token").orElse("empty"))
                .collect(Collectors.joining("; "));
    }
}
