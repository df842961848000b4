package dev.keyline.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;

import dev.keyline.ca.CaSigner;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeyIdentifiers;

/**
 * Issues device certificates under one CA and one profile. Thread-safe; this is the hot path, so
 * everything that does not depend on the request (extensions, issuer name, signer) is built once here.
 *
 * <p>The certificate: X.509 v3; a random 159-bit serial; notBefore = now - backdate; notAfter = now +
 * validity, <b>clamped to the CA's notAfter</b> (RFC 5280 allows a longer one, but many verifiers flag
 * it, and such a certificate is unusable after the CA expires anyway); basicConstraints CA:FALSE
 * (critical); keyUsage digitalSignature, plus keyAgreement for EC keys when the profile asks (critical);
 * extendedKeyUsage from the profile (non-critical, left out when the profile lists none); subject key
 * identifier (RFC 5280 method 1); authority key identifier = the CA's SKI; subjectAltName when there
 * are alternative names, critical when the subject is empty (RFC 5280 4.2.1.6).
 */
public final class Issuer {

    private static final ThreadLocal<CertificateTimes> TIMES = ThreadLocal.withInitial(CertificateTimes::new);

    private final CertificateAuthority ca;
    private final CertificateProfile profile;
    private final Clock clock;
    private final SerialNumbers serials;
    private final CaSigner signer;
    private final X500Name issuerName;
    private final Instant caNotAfter;
    private final Extension basicConstraints;
    private final Extension keyUsage;
    private final Extension keyUsageWithKeyAgreement;
    private final Extension extendedKeyUsage;
    private final Extension authorityKeyIdentifier;

    public Issuer(CertificateAuthority ca, CertificateProfile profile) {
        this(ca, profile, Clock.systemUTC(), new SerialNumbers());
    }

    public Issuer(CertificateAuthority ca, CertificateProfile profile, Clock clock, SerialNumbers serials) {
        this.ca = Objects.requireNonNull(ca, "ca");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.serials = Objects.requireNonNull(serials, "serials");
        this.signer = ca.signer().withDigest(profile.signatureDigest());
        this.issuerName = ca.subject();
        this.caNotAfter = ca.certificate().getNotAfter().toInstant();
        try {
            this.basicConstraints = new Extension(Extension.basicConstraints, true, new BasicConstraints(false).getEncoded());
            this.keyUsage = new Extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature).getEncoded());
            this.keyUsageWithKeyAgreement = new Extension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement).getEncoded());
            this.extendedKeyUsage = profile.extendedKeyUsages().isEmpty() ? null
                    : new Extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(profile.extendedKeyUsages()
                            .stream().map(KeyPurpose::keyPurposeId).toArray(KeyPurposeId[]::new)).getEncoded());
            this.authorityKeyIdentifier = new Extension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(ca.subjectKeyIdentifier()).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a certificate extension", e);
        }
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public CertificateProfile profile() {
        return profile;
    }

    /**
     * Issues one certificate.
     *
     * @throws IssuanceException when the key type is not allowed by the profile, the subject lacks an attribute the
     *                           profile requires, the subject is the CA's,
     *                           there is neither subject nor alternative name, or the CA has expired
     */
    public IssuedCertificate issue(IssuanceRequest request) {
        PublicKey publicKey = request.publicKey();
        KeyAlgorithm algorithm = KeyAlgorithm.of(publicKey).orElseThrow(() -> new IssuanceException(
                "unsupported device key (" + publicKey.getAlgorithm() + "): use one of " + KeyAlgorithm.validIds()));
        if (!profile.allowedKeyAlgorithms().contains(algorithm)) {
            throw new IssuanceException("the profile does not allow " + algorithm.id() + " keys (allowed-keys: "
                    + String.join(", ", profile.allowedKeyAlgorithms().stream().map(KeyAlgorithm::id).toList()) + ")");
        }
        SubjectName subjectName = request.subject();
        X500Name subject = subjectName.toX500Name();
        if (subjectName.isEmpty() && request.altNames().isEmpty()) {
            throw new IssuanceException("the request has neither a subject nor a subject alternative name: "
                    + "give the device at least a CN");
        }
        List<SubjectName.AttributeType> missing = profile.missingFrom(subjectName);
        if (!missing.isEmpty()) {
            throw new IssuanceException("the device subject \"" + subjectName + "\" lacks " + names(missing)
                    + ", which the certificate profile requires (required-subject): give the device "
                    + (missing.size() == 1 ? "that attribute" : "those attributes"));
        }
        if (!subjectName.isEmpty() && subject.equals(issuerName)) {
            throw new IssuanceException("the device subject \"" + subjectName + "\" is the CA's own subject: "
                    + "a certificate whose subject equals its issuer looks self-issued to verifiers; give the device its own name");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = now.plus(profile.validity());
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        if (!notAfter.isAfter(now)) {
            throw new IssuanceException("the CA certificate " + ca.certificate().getSubjectX500Principal().getName()
                    + " expired at " + caNotAfter + ": create or renew the CA before issuing");
        }
        BigInteger serial = serials.next();
        SubjectPublicKeyInfo keyInfo = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
        CertificateTimes times = TIMES.get();
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuerName, serial,
                times.notBefore(now.minus(profile.backdate()).truncatedTo(ChronoUnit.SECONDS)),
                times.notAfter(notAfter.truncatedTo(ChronoUnit.SECONDS)), subject, keyInfo);
        try {
            builder.addExtension(basicConstraints);
            builder.addExtension(profile.keyAgreement() && algorithm.isEc() ? keyUsageWithKeyAgreement : keyUsage);
            if (extendedKeyUsage != null) {
                builder.addExtension(extendedKeyUsage);
            }
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new SubjectKeyIdentifier(KeyIdentifiers.subjectKeyIdentifier(keyInfo)));
            builder.addExtension(authorityKeyIdentifier);
            if (!request.altNames().isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, subjectName.isEmpty(),
                        request.altNames().toGeneralNames());
            }
        } catch (CertIOException e) {
            throw new IssuanceException("cannot encode the certificate's extensions: " + e.getMessage(), e);
        }
        X509CertificateHolder holder = builder.build(signer.newContentSigner());
        byte[] der;
        try {
            der = holder.getEncoded();
        } catch (IOException e) {
            throw new IssuanceException("cannot encode the certificate: " + e.getMessage(), e);
        }
        return new IssuedCertificate(Certificates.fromDer(der), der, serial, IssuedCertificate.certificateId(der));
    }

    private static String names(List<SubjectName.AttributeType> types) {
        return String.join(", ", types.stream().map(SubjectName.AttributeType::shortName).toList());
    }
}
