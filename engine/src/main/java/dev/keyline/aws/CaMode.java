package dev.keyline.aws;

import java.util.Locale;

/**
 * How a CA certificate is registered in an AWS account (reference/aws-iot.md section 4). In one region, one account may
 * hold a CA in {@link #DEFAULT} mode and any number in {@link #SNI_ONLY}. Device certificates registered under the CA
 * take its mode.
 */
public enum CaMode {
    /** Ownership proven with a verification certificate (CN = the account's registration code, signed by the CA key). */
    DEFAULT,
    /** No verification certificate; devices must send SNI. */
    SNI_ONLY;

    /**
     * Accepts {@code DEFAULT}, {@code SNI_ONLY}, any case, {@code -} for {@code _}.
     *
     * @throws IllegalArgumentException naming the two modes
     */
    public static CaMode of(String text) {
        String normalised = text == null ? "" : text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (CaMode mode : values()) {
            if (mode.name().equals(normalised)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not a CA mode: write DEFAULT or SNI_ONLY");
    }
}
