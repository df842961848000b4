package dev.keyline.hsm;

import java.util.Objects;

/** Which token of a PKCS#11 module to use: exactly one of the three settings of the configuration file. */
public sealed interface TokenSelector {

    /** The setting as written in the configuration file, for messages: {@code token-label: ca}. */
    String describe();

    /** The n-th slot (from 0) in the order the module lists its slots (C_GetSlotList). */
    record SlotIndex(int index) implements TokenSelector {
        public SlotIndex {
            if (index < 0) {
                throw new HsmConfigException("slot-index must be 0 or more (got " + index + ")");
            }
        }

        @Override
        public String describe() {
            return "slot-index: " + index;
        }
    }

    /** The slot with this PKCS#11 slot id. */
    record SlotId(long id) implements TokenSelector {
        @Override
        public String describe() {
            return "slot-id: " + id;
        }
    }

    /** The slot whose token carries this label (trailing blanks of the 32-byte label field ignored). */
    record TokenLabel(String label) implements TokenSelector {
        public TokenLabel {
            Objects.requireNonNull(label, "label");
            if (label.isBlank()) {
                throw new HsmConfigException("token-label is empty: give the label the token was initialised with");
            }
            if (label.length() > 32) {
                throw new HsmConfigException("token-label \"" + label + "\" is longer than 32 characters, "
                        + "the most a PKCS#11 token label holds");
            }
        }

        @Override
        public String describe() {
            return "token-label: " + label;
        }
    }
}
