package dev.keyline.x509;

import java.security.PublicKey;
import java.util.Objects;

/** What to certify: a subject, its alternative names (may be {@link SubjectAltNames#NONE}) and a public key. */
public record IssuanceRequest(SubjectName subject, SubjectAltNames altNames, PublicKey publicKey) {

    public IssuanceRequest {
        Objects.requireNonNull(subject, "subject");
        altNames = altNames == null ? SubjectAltNames.NONE : altNames;
        Objects.requireNonNull(publicKey, "publicKey");
    }

    public IssuanceRequest(SubjectName subject, PublicKey publicKey) {
        this(subject, SubjectAltNames.NONE, publicKey);
    }
}
