package dev.keyline.hsm;

/** The few PKCS#11 (v2.40) constants the raw calls use; values from the standard's pkcs11t.h. */
final class Pkcs11Constants {

    static final long CKO_PUBLIC_KEY = 0x2L;
    static final long CKO_PRIVATE_KEY = 0x3L;
    static final long CKO_SECRET_KEY = 0x4L;

    static final long CKK_RSA = 0x0L;
    static final long CKK_EC = 0x3L;
    static final long CKK_AES = 0x1FL;

    static final long CKA_CLASS = 0x0L;
    static final long CKA_TOKEN = 0x1L;
    static final long CKA_PRIVATE = 0x2L;
    static final long CKA_LABEL = 0x3L;
    static final long CKA_KEY_TYPE = 0x100L;
    static final long CKA_ID = 0x102L;
    static final long CKA_SENSITIVE = 0x103L;
    static final long CKA_ENCRYPT = 0x104L;
    static final long CKA_DECRYPT = 0x105L;
    static final long CKA_WRAP = 0x106L;
    static final long CKA_UNWRAP = 0x107L;
    static final long CKA_SIGN = 0x108L;
    static final long CKA_VERIFY = 0x10AL;
    static final long CKA_DERIVE = 0x10CL;
    static final long CKA_MODULUS = 0x120L;
    static final long CKA_MODULUS_BITS = 0x121L;
    static final long CKA_PUBLIC_EXPONENT = 0x122L;
    static final long CKA_EXTRACTABLE = 0x162L;
    static final long CKA_NEVER_EXTRACTABLE = 0x164L;
    static final long CKA_ALWAYS_SENSITIVE = 0x165L;
    static final long CKA_EC_PARAMS = 0x180L;
    static final long CKA_EC_POINT = 0x181L;

    static final long CKM_RSA_PKCS_KEY_PAIR_GEN = 0x0L;
    static final long CKM_EC_KEY_PAIR_GEN = 0x1040L;

    static final long CKF_WRAP = 0x20000L;

    private Pkcs11Constants() {
    }
}
