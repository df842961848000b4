package dev.keyline.hsm;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What to generate in the token and with which attributes.
 *
 * @param type        key type and size
 * @param label       CKA_LABEL of both halves of the pair
 * @param id          CKA_ID of both halves (PKCS#11 links a key pair and its certificate by it)
 * @param tokenObject CKA_TOKEN: kept in the token (true) or gone when the session ends (false)
 * @param sensitive   CKA_SENSITIVE: the private value can never be read in the clear
 * @param extractable CKA_EXTRACTABLE: the key may be exported wrapped under another key
 */
public record KeySpec(TokenKeyType type, String label, byte[] id, boolean tokenObject, boolean sensitive,
        boolean extractable) {

    public KeySpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(id, "id");
        if (label.isBlank()) {
            throw new IllegalArgumentException("a token key needs a label: it is how Keyline finds the key again");
        }
        if (id.length == 0) {
            throw new IllegalArgumentException("a token key needs a non-empty CKA_ID");
        }
        id = id.clone();
    }

    /**
     * A CA key: a token object that never leaves the token (sensitive, not extractable), with CKA_ID = the
     * label's UTF-8 bytes, which is how SunPKCS11's key store links the key to the certificate stored with it.
     */
    public static KeySpec caKey(TokenKeyType type, String label) {
        return new KeySpec(type, label, label.getBytes(StandardCharsets.UTF_8), true, true, false);
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeySpec k && k.type == type && k.label.equals(label) && Arrays.equals(k.id, id)
                && k.tokenObject == tokenObject && k.sensitive == sensitive && k.extractable == extractable;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, label, Arrays.hashCode(id), tokenObject, sensitive, extractable);
    }

    @Override
    public String toString() {
        return "KeySpec[" + type + ", label " + label + ", id " + HexFormat.of().formatHex(id)
                + (tokenObject ? ", token object" : ", session object") + (sensitive ? ", sensitive" : ", not sensitive")
                + (extractable ? ", extractable" : ", not extractable") + "]";
    }
}
