package dev.keyline.job;

/**
 * The reason codes of rejected rows, kept with each rejection so the run report can group them; the reason itself
 * stays the sentence that says what to fix.
 */
final class RejectCodes {

    /** The device id appears on an earlier line of the manifest. */
    static final String DUPLICATE_DEVICE = "DUPLICATE_DEVICE";
    /** The row cannot be read or has a value Keyline refuses (id, subject, SAN, key, column count). */
    static final String INVALID_ROW = "INVALID_ROW";
    /** The provisioning template's lint refused the device (--template). */
    static final String TEMPLATE_LINT = "TEMPLATE_LINT";
    /** The CSR does not parse, does not verify, has a refused key, or its key belongs to another device. */
    static final String CSR_REFUSED = "CSR_REFUSED";
    /** The CSR's subject cannot be used (profile csr-subject: csr). */
    static final String CSR_SUBJECT = "CSR_SUBJECT";
    /** The row's key algorithm is not allowed by the certificate profile. */
    static final String KEY_NOT_ALLOWED = "KEY_NOT_ALLOWED";
    /** The token already holds a different key under the device's label. */
    static final String TOKEN_KEY_CONFLICT = "TOKEN_KEY_CONFLICT";
    /** The certificate could not be issued for this device (profile rules, validity). */
    static final String NOT_ISSUABLE = "NOT_ISSUABLE";

    private RejectCodes() {
    }
}
