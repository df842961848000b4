package dev.keyline.bundle;

import java.nio.charset.StandardCharsets;

/** Lowercase hex, without the per-call formatter of {@code HexFormat}/{@code String.format}. */
final class Hex {

    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Hex() {
    }

    static String of(byte[] bytes) {
        byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0x0f];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    static boolean isLowerSha256(String s) {
        if (s.length() != 64) {
            return false;
        }
        // Over the bytes, not charAt: a bundle's three sums are checked per device, and C1 keeps charAt's checks.
        byte[] chars = s.getBytes(StandardCharsets.ISO_8859_1); // a character outside Latin-1 becomes '?', refused
        for (int i = 0; i < 64; i++) {
            byte c = chars[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }
}
