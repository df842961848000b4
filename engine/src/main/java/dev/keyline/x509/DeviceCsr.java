package dev.keyline.x509;

import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import dev.keyline.keys.CryptoProviders;
import dev.keyline.keys.KeyAlgorithm;

/**
 * A PKCS#10 request made on the device (its secure element keeps the private key). Parsing proves possession:
 * the request's signature must verify with the public key it carries. Immutable.
 */
public final class DeviceCsr {

    private final PublicKey publicKey;
    private final KeyAlgorithm algorithm;
    private final X500Subject subject;
    private final byte[] publicKeyInfo;

    private DeviceCsr(PublicKey publicKey, KeyAlgorithm algorithm, X500Subject subject, byte[] publicKeyInfo) {
        this.publicKey = publicKey;
        this.algorithm = algorithm;
        this.subject = subject;
        this.publicKeyInfo = publicKeyInfo;
    }

    /**
     * Reads a CSR given as PEM ({@code -----BEGIN CERTIFICATE REQUEST-----}) or as base64 DER, and checks it.
     *
     * @throws InvalidCsrException when it is not a CSR, its signature does not verify, or its key is not one AWS
     *                             IoT and Keyline accept
     */
    public static DeviceCsr parse(String text) {
        byte[] der = decode(text);
        PKCS10CertificationRequest request;
        try {
            request = new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new InvalidCsrException("the csr is not a PKCS#10 certificate signing request (" + e.getMessage()
                    + "): give the PEM the device produced, or its base64 DER");
        }
        SubjectPublicKeyInfo spki = request.getSubjectPublicKeyInfo();
        PublicKey key;
        try {
            key = new JcaPKCS10CertificationRequest(request).setProvider(CryptoProviders.bc()).getPublicKey();
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            throw new InvalidCsrException("the csr's public key cannot be read (" + e.getMessage() + ")");
        }
        try {
            boolean valid = request.isSignatureValid(new JcaContentVerifierProviderBuilder()
                    .setProvider(CryptoProviders.bc()).build(spki));
            if (!valid) {
                throw new InvalidCsrException("the csr's signature does not verify with the key it carries: proof of "
                        + "possession failed (a corrupted or tampered request); have the device make a new one");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new InvalidCsrException("the csr's signature cannot be checked (" + e.getMessage() + ")");
        }
        KeyAlgorithm algorithm = KeyAlgorithm.of(key).orElseThrow(() -> new InvalidCsrException(describe(key)
                + " is not accepted: use an EC P-256 or P-384 key, or RSA with 2048, 3072 or 4096 bits (AWS IoT refuses "
                + "RSA under 2048)"));
        try {
            return new DeviceCsr(key, algorithm, new X500Subject(request.getSubject().getRDNs()), spki.getEncoded());
        } catch (IOException e) {
            throw new InvalidCsrException("the csr's public key cannot be encoded (" + e.getMessage() + ")");
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public KeyAlgorithm algorithm() {
        return algorithm;
    }

    /** The DER SubjectPublicKeyInfo: what identifies the key (for refusing a key the ledger already holds). */
    public byte[] publicKeyInfo() {
        return publicKeyInfo.clone();
    }

    /**
     * The subject the device asked for, as a checked {@link SubjectName}.
     *
     * @throws InvalidSubjectException when it breaks a subject rule or uses an attribute Keyline does not issue
     */
    public SubjectName subject() {
        return subject.toSubjectName();
    }

    private static byte[] decode(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidCsrException("the csr is empty");
        }
        String body = text.strip();
        if (body.startsWith("-----BEGIN")) {
            int start = body.indexOf('\n', body.indexOf("-----BEGIN"));
            int end = body.indexOf("-----END");
            String label = body.substring(0, Math.max(0, start)).toUpperCase(Locale.ROOT);
            if (start < 0 || end < start || !label.contains("CERTIFICATE REQUEST")) {
                throw new InvalidCsrException("the csr's PEM must be -----BEGIN CERTIFICATE REQUEST----- ... -----END "
                        + "CERTIFICATE REQUEST-----");
            }
            body = body.substring(start, end);
        }
        try {
            return Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidCsrException("the csr is neither PEM nor base64 DER: " + e.getMessage());
        }
    }

    private static String describe(PublicKey key) {
        if (key instanceof java.security.interfaces.RSAPublicKey rsa) {
            return "an RSA-" + rsa.getModulus().bitLength() + " key";
        }
        return "a " + key.getAlgorithm() + " key of a curve Keyline does not issue for";
    }

    /** The request's RDNs, turned into a SubjectName only when asked (most profiles take the manifest's). */
    private record X500Subject(RDN[] rdns) {

        SubjectName toSubjectName() {
            List<SubjectName.Attribute> attributes = new ArrayList<>();
            for (RDN rdn : rdns) {
                for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                    SubjectName.AttributeType type = SubjectName.AttributeType.fromName(atv.getType().getId())
                            .orElseThrow(() -> new InvalidSubjectException("the csr's subject has attribute "
                                    + atv.getType().getId() + ", which Keyline does not issue: use the profile's "
                                    + "csr-subject: manifest, or a request with " + SubjectRules.knownNames(),
                                    atv.getType().getId(), text(atv.getValue())));
                    attributes.add(new SubjectName.Attribute(type, text(atv.getValue())));
                }
            }
            return SubjectName.of(attributes);
        }

        private static String text(ASN1Encodable value) {
            return value instanceof ASN1String s ? s.getString() : value.toString();
        }
    }
}
