package dev.keyline.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;

import dev.keyline.ca.CertificateAuthority;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeyIdentifiers;

/**
 * How {@link Issuer} built a certificate before it used {@link CertificateTemplate}: Bouncy Castle's
 * {@code X509v3CertificateBuilder}, field by field, kept here unchanged (less the checks, which the issuer still
 * makes, and the per-thread cache of times, which only saved formatting) as the reference the template's output
 * is compared with.
 */
final class BcBuilderReference {

    private BcBuilderReference() {
    }

    /**
     * The certificate today's issuer would have made for {@code request} at {@code clockInstant} with this serial,
     * signed by the same CA signer.
     */
    static X509CertificateHolder issue(CertificateAuthority ca, CertificateProfile profile, IssuanceRequest request,
                                       BigInteger serial, Instant clockInstant) throws IOException {
        KeyAlgorithm algorithm = KeyAlgorithm.of(request.publicKey()).orElseThrow();
        X500Name issuerName = ca.subject();
        Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
        Instant now = clockInstant.truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = now.plus(profile.validity());
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        SubjectPublicKeyInfo keyInfo = SubjectPublicKeyInfo.getInstance(request.publicKey().getEncoded());
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuerName, serial,
                new Time(Date.from(now.minus(profile.backdate()).truncatedTo(ChronoUnit.SECONDS))),
                new Time(Date.from(notAfter.truncatedTo(ChronoUnit.SECONDS))), request.subject().toX500Name(), keyInfo);
        builder.addExtension(new Extension(Extension.basicConstraints, true, new BasicConstraints(false).getEncoded()));
        builder.addExtension(new Extension(Extension.keyUsage, true, new KeyUsage(profile.keyAgreement() && algorithm.isEc()
                ? KeyUsage.digitalSignature | KeyUsage.keyAgreement : KeyUsage.digitalSignature).getEncoded()));
        if (!profile.extendedKeyUsages().isEmpty()) {
            builder.addExtension(new Extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(profile
                    .extendedKeyUsages().stream().map(KeyPurpose::keyPurposeId).toArray(KeyPurposeId[]::new)).getEncoded()));
        }
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                new SubjectKeyIdentifier(KeyIdentifiers.subjectKeyIdentifier(keyInfo)));
        builder.addExtension(new Extension(Extension.authorityKeyIdentifier, false,
                new AuthorityKeyIdentifier(ca.subjectKeyIdentifier()).getEncoded()));
        if (!request.altNames().isEmpty()) {
            builder.addExtension(Extension.subjectAlternativeName, request.subject().isEmpty(),
                    request.altNames().toGeneralNames());
        }
        return builder.build(ca.signer().withDigest(profile.signatureDigest()).newContentSigner());
    }
}
