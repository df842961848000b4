package dev.keyline.hsm;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The configuration text of a SunPKCS11 provider instance ({@code Provider.configure}), including the one
 * behaviour of SunPKCS11 that shapes this module: key attributes at generation come from a template fixed
 * when the provider instance is configured.
 *
 * <p>Why: {@code KeyPairGenerator} takes no PKCS#11 attributes, so CKA_TOKEN, CKA_SENSITIVE, CKA_EXTRACTABLE,
 * CKA_LABEL and CKA_ID can only be given through {@code attributes(generate, ...)} in the provider's
 * configuration. Each distinct {@link KeySpec} therefore gets a provider instance of its own (same module,
 * same slot, same logged-in application), built here.
 */
final class SunPkcs11Configs {

    private static final AtomicInteger NAMES = new AtomicInteger();

    private SunPkcs11Configs() {
    }

    /** A provider for {@code slot}: signing and lookups; keys it generates are session objects. */
    static String plain(String library, String slot) {
        // The leading "--" tells Provider.configure that this is configuration text, not a file name.
        return "--name = keyline-" + NAMES.incrementAndGet() + "\n"
                + "library = " + library + "\n"
                + slot + "\n";
    }

    /** A provider whose key-pair generation applies {@code spec}'s attributes. */
    static String generating(String library, String slot, KeySpec spec) {
        String label = hex(spec.label().getBytes(StandardCharsets.UTF_8));
        String id = hex(spec.id());
        return plain(library, slot)
                + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
                + "  CKA_TOKEN = " + spec.tokenObject() + "\n"
                + "  CKA_PRIVATE = true\n"
                + "  CKA_SENSITIVE = " + spec.sensitive() + "\n"
                + "  CKA_EXTRACTABLE = " + spec.extractable() + "\n"
                + "  CKA_SIGN = true\n"
                // a signing key only: a CA key that can also decrypt or unwrap is a key used for two jobs
                + "  CKA_DECRYPT = false\n"
                + "  CKA_UNWRAP = false\n"
                + "  CKA_LABEL = " + label + "\n"
                + "  CKA_ID = " + id + "\n"
                + "}\n"
                + "attributes(generate, CKO_PUBLIC_KEY, *) = {\n"
                + "  CKA_TOKEN = " + spec.tokenObject() + "\n"
                + "  CKA_VERIFY = true\n"
                + "  CKA_LABEL = " + label + "\n"
                + "  CKA_ID = " + id + "\n"
                + "}\n";
    }

    /** SunPKCS11 writes byte-string attribute values as {@code 0h} followed by hex digits. */
    private static String hex(byte[] bytes) {
        return "0h" + HexFormat.of().formatHex(bytes);
    }
}
