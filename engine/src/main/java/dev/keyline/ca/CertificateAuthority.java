package dev.keyline.ca;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

import dev.keyline.keys.KeyIdentifiers;

/**
 * A CA ready to sign: its certificate, the chain up to the root, and its signing key.
 * Immutable and thread-safe; its {@code toString} never shows the key.
 */
public final class CertificateAuthority {

    private final X509Certificate certificate;
    private final List<X509Certificate> chain;
    private final CaSigner signer;
    private final byte[] subjectKeyIdentifier;
    private final X500Name subject;

    /**
     * @param chain this CA's certificate and its issuers up to the root; when it does not start
     *              with {@code certificate} (or is empty), the certificate is put in front
     * @throws CaException when the signer's public key is not the certificate's
     */
    public CertificateAuthority(X509Certificate certificate, List<X509Certificate> chain, CaSigner signer) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.signer = Objects.requireNonNull(signer, "signer");
        List<X509Certificate> full = new ArrayList<>(Objects.requireNonNull(chain, "chain"));
        if (full.isEmpty() || !full.get(0).equals(certificate)) {
            full.add(0, certificate);
        }
        this.chain = List.copyOf(full);
        if (!Arrays.equals(certificate.getPublicKey().getEncoded(), signer.publicKey().getEncoded())) {
            throw new CaException("the CA signing key is not the key of the certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
        this.subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        this.subjectKeyIdentifier = skiOf(certificate);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** This CA first, then its issuers up to the root. */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** The same CA signing through another software provider (a token-held key ignores it). */
    public CertificateAuthority withProvider(dev.keyline.keys.CryptoProvider provider) {
        CaSigner other = signer.withProvider(provider);
        return other == signer ? this : new CertificateAuthority(certificate, chain, other);
    }

    public CaSigner signer() {
        return signer;
    }

    /** The key identifier from the certificate's SKI extension, else computed by RFC 5280 method 1. */
    public byte[] subjectKeyIdentifier() {
        return subjectKeyIdentifier.clone();
    }

    /** The subject, with the exact encoding of the certificate (issuer names must match it byte for byte). */
    public X500Name subject() {
        return subject;
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + ", serial "
                + certificate.getSerialNumber().toString(16) + ", notAfter " + certificate.getNotAfter().toInstant()
                + ", " + signer + "]";
    }

    private static byte[] skiOf(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension != null) {
            return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
        }
        return KeyIdentifiers.subjectKeyIdentifier(certificate.getPublicKey());
    }
}
