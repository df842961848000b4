package dev.keyline.x509;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/** Extended key usages a device certificate may carry, by their OpenSSL / RFC 5280 names. */
public enum KeyPurpose {
    CLIENT_AUTH("clientAuth", KeyPurposeId.id_kp_clientAuth),
    SERVER_AUTH("serverAuth", KeyPurposeId.id_kp_serverAuth);

    private final String id;
    private final KeyPurposeId oid;

    KeyPurpose(String id, KeyPurposeId oid) {
        this.id = id;
        this.oid = oid;
    }

    /** {@code clientAuth} or {@code serverAuth}. */
    public String id() {
        return id;
    }

    public KeyPurposeId keyPurposeId() {
        return oid;
    }

    /** The purpose with this name (any case). */
    public static Optional<KeyPurpose> fromId(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equalsIgnoreCase(id == null ? "" : id.strip())).findFirst();
    }

    public static String validIds() {
        return Arrays.stream(values()).map(KeyPurpose::id).collect(Collectors.joining(", "));
    }
}
