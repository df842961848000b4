package dev.keyline.hsm;

import java.security.PrivateKey;

/**
 * Reads CKA_TOKEN, CKA_SENSITIVE and CKA_EXTRACTABLE of a SunPKCS11 private key.
 *
 * <p>Why this quirk exists: SunPKCS11 reads these three attributes from the token (C_GetAttributeValue) when
 * it creates a key object, but shows them only in the key's description, e.g.
 * {@code "SunPKCS11-x EC private key, 256 bits token object, sensitive, unextractable)"}. Parsing that text
 * is the one public way to read them back; it is confined to this class and fails loudly if the format changes.
 */
final class SunPkcs11KeyDescription {

    private SunPkcs11KeyDescription() {
    }

    static KeyAttributes attributesOf(PrivateKey key) {
        String text = key.toString();
        boolean token = text.contains("token object");
        boolean session = text.contains("session object");
        boolean sensitive = text.contains(", sensitive");
        boolean notSensitive = text.contains("not sensitive");
        boolean unextractable = text.contains("unextractable");
        boolean extractable = text.contains(", extractable");
        if (token == session || sensitive == notSensitive || unextractable == extractable) {
            throw new HsmException("cannot read the attributes of " + key.getClass().getName()
                    + ": this JDK describes PKCS#11 keys differently than Keyline expects");
        }
        return new KeyAttributes(token, sensitive, extractable);
    }
}
