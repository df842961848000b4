package dev.keyline.hsm;

/**
 * How a device key is wrapped for export: AES key wrap with padding (RFC 5649, NIST SP 800-38F KWP), under an
 * AES key that stays in the token. The wrapped bytes are the private key's PKCS#8 PrivateKeyInfo (DER), encrypted.
 */
public enum WrapMechanism {
    /**
     * CKM_AES_KEY_WRAP_PAD (0x210A): RFC 5649 in PKCS#11 v2.40 tokens such as SoftHSM 2. (PKCS#11 3.0 renamed
     * RFC 5649 to CKM_AES_KEY_WRAP_KWP and some 3.0 tokens read _PAD as KW with PKCS#7 padding: check your HSM.)
     */
    AES_KEY_WRAP_PAD(0x210AL, "CKM_AES_KEY_WRAP_PAD"),
    /** CKM_AES_KEY_WRAP_KWP (0x210B): RFC 5649 under its PKCS#11 3.0 name. */
    AES_KEY_WRAP_KWP(0x210BL, "CKM_AES_KEY_WRAP_KWP");

    private final long code;
    private final String pkcs11Name;

    WrapMechanism(long code, String pkcs11Name) {
        this.code = code;
        this.pkcs11Name = pkcs11Name;
    }

    long code() {
        return code;
    }

    /** The standard's name, e.g. {@code CKM_AES_KEY_WRAP_PAD}. */
    public String pkcs11Name() {
        return pkcs11Name;
    }

    /** The mechanism whose PKCS#11 name is {@code name} (case-insensitive, with or without the CKM_ prefix). */
    public static WrapMechanism fromName(String name) {
        String wanted = name.strip().toUpperCase(java.util.Locale.ROOT);
        for (WrapMechanism m : values()) {
            if (m.pkcs11Name.equals(wanted) || m.pkcs11Name.equals("CKM_" + wanted)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown wrap mechanism \"" + name + "\": use CKM_AES_KEY_WRAP_PAD or "
                + "CKM_AES_KEY_WRAP_KWP (both RFC 5649)");
    }
}
