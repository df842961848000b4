package dev.keyline.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * A device certificate of one CA and one profile, mostly encoded in advance: what is the same for every device (the
 * version, the signature algorithm, the issuer name, and the basicConstraints, keyUsage, extendedKeyUsage and
 * authorityKeyIdentifier extensions) is DER once, here, and {@link #toBeSigned} writes around it the few fields of
 * one device. Immutable and thread-safe.
 *
 * <p><b>Why the bytes are Bouncy Castle's.</b> Certificates used to come from Bouncy Castle's
 * {@code X509v3CertificateBuilder}, and the ones made here must not differ by one octet. Every part that is not
 * plain structure is still encoded by Bouncy Castle: the fixed extensions (the same {@code Extension} objects the
 * builder was given), the issuer and subject names ({@code X500Name} in DER, string types as chosen by
 * {@link SubjectName}) and the alternative names ({@code GeneralNames}). What is written here is what the builder
 * wrote around them, in its order: {@code TBSCertificate ::= SEQUENCE { [0] EXPLICIT INTEGER 2, serialNumber
 * INTEGER, signature AlgorithmIdentifier, issuer Name, validity SEQUENCE { notBefore, notAfter }, subject Name,
 * subjectPublicKeyInfo, [3] EXPLICIT SEQUENCE OF Extension }}, the extensions in the order basicConstraints,
 * keyUsage, extendedKeyUsage (when the profile has any), subjectKeyIdentifier, authorityKeyIdentifier,
 * subjectAltName (when there are alternative names). An {@code Extension} is {@code SEQUENCE { OID, BOOLEAN TRUE
 * only when critical (DER leaves out a DEFAULT), OCTET STRING }}; the serial is {@code BigInteger.toByteArray()},
 * the shortest two's complement, as {@code ASN1Integer} writes it; times are {@link CertificateTime}; the public
 * key is {@link PublicKeyInfo}. {@code CertificateTemplateEquivalenceTest} keeps the builder as a reference and
 * checks the to-be-signed octets equal over randomised devices, keys of every provider, and CAs of each key type.
 */
final class CertificateTemplate {

    /** {@code [0] EXPLICIT INTEGER 2}: X.509 v3. */
    private static final byte[] VERSION_3 = {(byte) DerWriter.EXPLICIT_0, 3, DerWriter.INTEGER, 1, 2};
    private static final byte[] SUBJECT_KEY_IDENTIFIER_OID = oid(Extension.subjectKeyIdentifier);
    private static final byte[] SUBJECT_ALT_NAME_OID = oid(Extension.subjectAlternativeName);
    private static final byte[] TRUE = {DerWriter.BOOLEAN, 1, (byte) 0xff};

    private final AlgorithmIdentifier signatureAlgorithm;
    private final byte[] signatureAlgorithmDer;
    private final byte[] issuer;
    /** basicConstraints, keyUsage and extendedKeyUsage, one after the other: every extension before the SKI. */
    private final byte[] extensionsBeforeKeyId;
    private final byte[] extensionsBeforeKeyIdWithKeyAgreement;
    private final byte[] authorityKeyIdentifier;

    /**
     * @param signatureAlgorithm     what the CA's signer signs with (each signature's own is checked against it)
     * @param issuer                 the CA's subject
     * @param authorityKeyIdentifier the CA's key identifier
     * @param extendedKeyUsages      the profile's, in its order; empty to leave the extension out
     */
    CertificateTemplate(AlgorithmIdentifier signatureAlgorithm, X500Name issuer, byte[] authorityKeyIdentifier,
                        List<KeyPurpose> extendedKeyUsages) {
        this.signatureAlgorithm = Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
        this.signatureAlgorithmDer = der(signatureAlgorithm);
        this.issuer = der(issuer);
        byte[] basicConstraints = der(new Extension(Extension.basicConstraints, true,
                der(new BasicConstraints(false))));
        byte[] extendedKeyUsage = extendedKeyUsages.isEmpty() ? new byte[0]
                : der(new Extension(Extension.extendedKeyUsage, false, der(new ExtendedKeyUsage(
                        extendedKeyUsages.stream().map(KeyPurpose::keyPurposeId).toArray(KeyPurposeId[]::new)))));
        this.extensionsBeforeKeyId = concat(basicConstraints, keyUsage(KeyUsage.digitalSignature), extendedKeyUsage);
        this.extensionsBeforeKeyIdWithKeyAgreement = concat(basicConstraints,
                keyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement), extendedKeyUsage);
        this.authorityKeyIdentifier = der(new Extension(Extension.authorityKeyIdentifier, false,
                der(new AuthorityKeyIdentifier(authorityKeyIdentifier))));
    }

    /**
     * What differs from one device's certificate to the next.
     *
     * @param subject          the subject Name in DER
     * @param keyAgreement     whether keyUsage adds keyAgreement to digitalSignature
     * @param altNames         the GeneralNames in DER, or null to leave subjectAltName out
     * @param altNamesCritical whether subjectAltName is critical (it is when the subject is empty)
     */
    record Device(BigInteger serial, Instant notBefore, Instant notAfter, byte[] subject, PublicKeyInfo publicKey,
                  boolean keyAgreement, byte[] altNames, boolean altNamesCritical) {
    }

    /**
     * The encoding of the signature algorithm a signer reports: the one prepared here when it is the same, as it is
     * unless a signer changes its mind; encoded afresh otherwise, so the certificate always names what signed it.
     */
    byte[] signatureAlgorithm(AlgorithmIdentifier used) {
        return used == signatureAlgorithm || used.equals(signatureAlgorithm) ? signatureAlgorithmDer : der(used);
    }

    /**
     * The TBSCertificate of one device.
     *
     * @param signatureAlgorithm from {@link #signatureAlgorithm(AlgorithmIdentifier)}: the inner signature field
     *                           must name the algorithm of the signature
     */
    byte[] toBeSigned(Device device, byte[] signatureAlgorithm) {
        byte[] serial = device.serial().toByteArray();
        byte[] notBefore = CertificateTime.encode(device.notBefore());
        byte[] notAfter = CertificateTime.encode(device.notAfter());
        byte[] beforeKeyId = device.keyAgreement() ? extensionsBeforeKeyIdWithKeyAgreement : extensionsBeforeKeyId;
        byte[] keyId = device.publicKey().keyIdentifier();
        int keyIdValue = DerWriter.sizeOf(keyId.length);
        int keyIdExtension = SUBJECT_KEY_IDENTIFIER_OID.length + DerWriter.sizeOf(keyIdValue);
        int altNamesExtension = device.altNames() == null ? 0 : SUBJECT_ALT_NAME_OID.length
                + (device.altNamesCritical() ? TRUE.length : 0) + DerWriter.sizeOf(device.altNames().length);
        int extensions = beforeKeyId.length + DerWriter.sizeOf(keyIdExtension) + authorityKeyIdentifier.length
                + (device.altNames() == null ? 0 : DerWriter.sizeOf(altNamesExtension));
        int validity = notBefore.length + notAfter.length;
        int tbs = VERSION_3.length + DerWriter.sizeOf(serial.length) + signatureAlgorithm.length + issuer.length
                + DerWriter.sizeOf(validity) + device.subject().length + device.publicKey().der().length
                + DerWriter.sizeOf(DerWriter.sizeOf(extensions));

        DerWriter out = new DerWriter(DerWriter.sizeOf(tbs)).header(DerWriter.SEQUENCE, tbs)
                .write(VERSION_3)
                .header(DerWriter.INTEGER, serial.length).write(serial)
                .write(signatureAlgorithm)
                .write(issuer)
                .header(DerWriter.SEQUENCE, validity).write(notBefore).write(notAfter)
                .write(device.subject())
                .write(device.publicKey().der())
                .header(DerWriter.EXPLICIT_3, DerWriter.sizeOf(extensions)).header(DerWriter.SEQUENCE, extensions)
                .write(beforeKeyId)
                .header(DerWriter.SEQUENCE, keyIdExtension).write(SUBJECT_KEY_IDENTIFIER_OID)
                .header(DerWriter.OCTET_STRING, keyIdValue).header(DerWriter.OCTET_STRING, keyId.length).write(keyId)
                .write(authorityKeyIdentifier);
        if (device.altNames() != null) {
            out.header(DerWriter.SEQUENCE, altNamesExtension).write(SUBJECT_ALT_NAME_OID);
            if (device.altNamesCritical()) {
                out.write(TRUE);
            }
            out.header(DerWriter.OCTET_STRING, device.altNames().length).write(device.altNames());
        }
        return out.finish();
    }

    /** {@code Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, BIT STRING signature }}. */
    static byte[] certificate(byte[] toBeSigned, byte[] signatureAlgorithm, byte[] signature) {
        int bits = 1 + signature.length; // the unused-bits octet (0), then the signature
        int content = toBeSigned.length + signatureAlgorithm.length + DerWriter.sizeOf(bits);
        return new DerWriter(DerWriter.sizeOf(content)).header(DerWriter.SEQUENCE, content)
                .write(toBeSigned).write(signatureAlgorithm)
                .header(DerWriter.BIT_STRING, bits).write(0).write(signature)
                .finish();
    }

    private static byte[] keyUsage(int usages) {
        return der(new Extension(Extension.keyUsage, true, der(new KeyUsage(usages))));
    }

    private static byte[] oid(ASN1ObjectIdentifier oid) {
        return der(oid);
    }

    /** Bouncy Castle's DER of a fixed part; it cannot fail for the values made here. */
    private static byte[] der(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a fixed part of the certificate: " + e.getMessage(), e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        DerWriter out = new DerWriter(size);
        for (byte[] part : parts) {
            out.write(part);
        }
        return out.finish();
    }
}
