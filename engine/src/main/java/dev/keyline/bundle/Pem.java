package dev.keyline.bundle;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * PEM (RFC 7468) encoding: Base64 in 64-column lines, {@code \n} line ends, one exact-size array per
 * call. Hand-rolled rather than Bouncy Castle's {@code PemWriter} (Writer, char buffers, then bytes) or
 * {@code Base64.getMimeEncoder} (a second copy to add the armour): this runs for every file of every
 * device. Stateless and thread-safe.
 */
public final class Pem {

    public static final String CERTIFICATE = "CERTIFICATE";
    public static final String PRIVATE_KEY = "PRIVATE KEY";
    public static final String ENCRYPTED_PRIVATE_KEY = "ENCRYPTED PRIVATE KEY";

    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    private static final int LINE_CHARS = 64;
    private static final int LINE_BYTES = LINE_CHARS / 4 * 3;

    private static final Armour CERTIFICATE_ARMOUR = new Armour(CERTIFICATE);
    private static final Armour PRIVATE_KEY_ARMOUR = new Armour(PRIVATE_KEY);
    private static final Armour ENCRYPTED_PRIVATE_KEY_ARMOUR = new Armour(ENCRYPTED_PRIVATE_KEY);

    private Pem() {
    }

    /** {@code CERTIFICATE} block of a DER certificate. */
    public static byte[] certificate(byte[] der) {
        return CERTIFICATE_ARMOUR.encode(der);
    }

    /** {@code CERTIFICATE} blocks, one after the other, in the order given. */
    public static byte[] certificates(List<X509Certificate> certificates) throws CertificateEncodingException {
        byte[][] blocks = new byte[certificates.size()][];
        int total = 0;
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = certificate(certificates.get(i).getEncoded());
            total += blocks[i].length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] block : blocks) {
            System.arraycopy(block, 0, out, at, block.length);
            at += block.length;
        }
        return out;
    }

    /** {@code PRIVATE KEY} block of an unencrypted PKCS#8 {@code PrivateKeyInfo}. */
    public static byte[] privateKey(byte[] pkcs8Der) {
        return PRIVATE_KEY_ARMOUR.encode(pkcs8Der);
    }

    /** {@code ENCRYPTED PRIVATE KEY} block of a PKCS#8 {@code EncryptedPrivateKeyInfo}. */
    public static byte[] encryptedPrivateKey(byte[] encryptedPkcs8Der) {
        return ENCRYPTED_PRIVATE_KEY_ARMOUR.encode(encryptedPkcs8Der);
    }

    /** Any label, e.g. {@code "CERTIFICATE REQUEST"}. */
    public static byte[] encode(String label, byte[] der) {
        return new Armour(label).encode(der);
    }

    private static final class Armour {
        private final byte[] begin;
        private final byte[] end;

        Armour(String label) {
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if ((c < 0x21 && c != ' ') || c > 0x7e || c == '-') {
                    throw new IllegalArgumentException("not a PEM label: \"" + label + "\"");
                }
            }
            begin = ("-----BEGIN " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
            end = ("-----END " + label + "-----\n").getBytes(StandardCharsets.US_ASCII);
        }

        byte[] encode(byte[] der) {
            int chars = (der.length + 2) / 3 * 4;
            int lines = (chars + LINE_CHARS - 1) / LINE_CHARS;
            byte[] out = new byte[begin.length + chars + lines + end.length];
            System.arraycopy(begin, 0, out, 0, begin.length);
            int o = begin.length;
            int i = 0;
            int full = der.length - der.length % 3;
            while (i < full) {
                int lineEnd = Math.min(i + LINE_BYTES, full);
                while (i < lineEnd) {
                    int v = (der[i] & 0xff) << 16 | (der[i + 1] & 0xff) << 8 | (der[i + 2] & 0xff);
                    out[o] = ALPHABET[v >>> 18];
                    out[o + 1] = ALPHABET[(v >>> 12) & 0x3f];
                    out[o + 2] = ALPHABET[(v >>> 6) & 0x3f];
                    out[o + 3] = ALPHABET[v & 0x3f];
                    o += 4;
                    i += 3;
                }
                if (lineEnd % LINE_BYTES == 0 && i < der.length) {
                    out[o++] = '\n';
                }
            }
            int rest = der.length - full;
            if (rest > 0) {
                int v = (der[full] & 0xff) << 16 | (rest == 2 ? (der[full + 1] & 0xff) << 8 : 0);
                out[o] = ALPHABET[v >>> 18];
                out[o + 1] = ALPHABET[(v >>> 12) & 0x3f];
                out[o + 2] = rest == 2 ? ALPHABET[(v >>> 6) & 0x3f] : (byte) '=';
                out[o + 3] = '=';
                o += 4;
            }
            if (chars > 0) {
                out[o++] = '\n';
            }
            System.arraycopy(end, 0, out, o, end.length);
            return out;
        }
    }
}
