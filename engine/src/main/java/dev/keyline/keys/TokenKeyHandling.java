package dev.keyline.keys;

import java.util.Locale;

/** What becomes of a device key made in a PKCS#11 token ({@code --keys hsm}); the profile's {@code hsm-device-keys}. */
public enum TokenKeyHandling {
    /** Stays in the token: token objects labelled with the device id, sensitive, never extractable. */
    KEEP,
    /** Exported wrapped (RFC 5649) under the token's AES wrapping key, for injection into the device; destroyed in the token. */
    WRAP;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
