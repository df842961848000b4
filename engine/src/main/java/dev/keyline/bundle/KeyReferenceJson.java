package dev.keyline.bundle;

import java.nio.charset.StandardCharsets;

/**
 * The bundle's {@code device.key.json}: where a device key is that the bundle does not hold in the clear.
 * <pre>
 * kept in the token:                          exported wrapped:
 * {                                            {
 *   "format": "keyline-device-key/1",            "format": "keyline-device-key/1",
 *   "device_id": "sensor-1",                     "device_id": "sensor-1",
 *   "key_algorithm": "ec-p256",                  "key_algorithm": "ec-p256",
 *   "location": "pkcs11-token",                  "location": "wrapped",
 *   "token_label": "factory",                    "token_label": "factory",
 *   "key_label": "sensor-1",                     "wrapped_key_file": "device.key.wrapped",
 *   "key_id": "&lt;CKA_ID hex = SKI&gt;",           "wrapped_key_sha256": "&lt;hex&gt;",
 *   "sensitive": true,                           "mechanism": "CKM_AES_KEY_WRAP_PAD",
 *   "extractable": false                         "wrapping": "RFC 5649 AES key wrap with padding",
 * }                                              "wrapping_key_label": "keyline-wrap",
 *                                                "content": "PKCS#8 PrivateKeyInfo, DER; ..."
 *                                              }
 * </pre>
 * Written by hand (a fixed shape, a few escaped strings) so the bytes are the same on every run and layout.
 */
final class KeyReferenceJson {

    static final String FORMAT = "keyline-device-key/1";
    /** What the unwrapped bytes are; SoftHSM 2.6 zero-pads the PKCS#8 to a multiple of 8 before wrapping. */
    static final String WRAPPED_CONTENT = "PKCS#8 PrivateKeyInfo, DER; read the DER length: some tokens append zero "
            + "bytes up to a multiple of 8 before wrapping";

    private KeyReferenceJson() {
    }

    static byte[] encode(String deviceId, KeyReference reference, String wrappedFile, String wrappedSha256) {
        StringBuilder json = new StringBuilder(512).append("{\n");
        field(json, "format", FORMAT);
        field(json, "device_id", deviceId);
        field(json, "key_algorithm", reference.keyAlgorithm());
        if (reference instanceof KeyReference.InToken kept) {
            field(json, "location", "pkcs11-token");
            field(json, "token_label", kept.tokenLabel());
            field(json, "key_label", kept.keyLabel());
            field(json, "key_id", kept.keyIdHex());
            json.append("  \"sensitive\": true,\n  \"extractable\": false\n");
        } else if (reference instanceof KeyReference.Wrapped wrapped) {
            field(json, "location", "wrapped");
            field(json, "token_label", wrapped.tokenLabel());
            field(json, "wrapped_key_file", wrappedFile);
            field(json, "wrapped_key_sha256", wrappedSha256);
            field(json, "mechanism", wrapped.mechanism());
            field(json, "wrapping", "RFC 5649 AES key wrap with padding");
            field(json, "wrapping_key_label", wrapped.wrappingKeyLabel());
            json.append("  \"content\": ").append(quote(WRAPPED_CONTENT)).append('\n');
        }
        return json.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append("  \"").append(name).append("\": ").append(quote(value)).append(",\n");
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
