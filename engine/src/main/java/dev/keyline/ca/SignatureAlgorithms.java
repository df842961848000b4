package dev.keyline.ca;

import java.util.List;
import java.util.Locale;

import dev.keyline.keys.KeyAlgorithm;

/** Names of the signature algorithms a CA key can use, by key type and digest. */
public final class SignatureAlgorithms {

    /** The digests a CA may sign with. */
    public static final List<String> DIGESTS = List.of("SHA-256", "SHA-384", "SHA-512");

    private SignatureAlgorithms() {
    }

    /** The digest that matches a key's strength: SHA-384 for P-384, SHA-256 otherwise. */
    public static String defaultDigest(KeyAlgorithm key) {
        return key == KeyAlgorithm.EC_P384 ? "SHA-384" : "SHA-256";
    }

    /** The JCA signature name, e.g. {@code SHA384withECDSA}. */
    public static String signatureAlgorithm(KeyAlgorithm key, String digest) {
        return normaliseDigest(digest).replace("-", "") + "with" + (key.isEc() ? "ECDSA" : "RSA");
    }

    /**
     * {@code SHA-256}, {@code SHA-384} or {@code SHA-512}, also accepting {@code sha256}-style spellings.
     *
     * @throws IllegalArgumentException for any other digest, listing the valid ones
     */
    public static String normaliseDigest(String digest) {
        String d = digest == null ? "" : digest.strip().toUpperCase(Locale.ROOT).replace("-", "");
        for (String known : DIGESTS) {
            if (known.replace("-", "").equals(d)) {
                return known;
            }
        }
        throw new IllegalArgumentException("unknown signature digest \"" + digest + "\": use one of " + String.join(", ", DIGESTS));
    }

    /** The digest part of a JCA signature name: {@code SHA256withRSA} gives {@code SHA-256}. */
    public static String digestOf(String signatureAlgorithm) {
        return normaliseDigest(signatureAlgorithm.substring(0, signatureAlgorithm.toLowerCase(Locale.ROOT).indexOf("with")));
    }
}
