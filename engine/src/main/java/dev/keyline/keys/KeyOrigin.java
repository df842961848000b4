package dev.keyline.keys;

import java.util.Locale;

import dev.keyline.error.UnknownChoiceException;

/** Where a run makes its device keys ({@code keyline run --keys}). */
public enum KeyOrigin {
    /** In memory, by the crypto provider (or taken from a key pool); the private key goes into the bundle. */
    SOFTWARE,
    /** In a PKCS#11 token; kept there or exported wrapped, as the profile's {@code hsm-device-keys} says. */
    HSM;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws UnknownChoiceException naming the value and the valid ones
     */
    public static KeyOrigin fromId(String id) {
        for (KeyOrigin o : values()) {
            if (o.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
                return o;
            }
        }
        throw new UnknownChoiceException("key origin", id, java.util.Arrays.stream(values()).map(KeyOrigin::id).toList());
    }
}
