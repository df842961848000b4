package dev.keyline.x509;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

import dev.keyline.ca.CaSigner;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.keys.KeyAlgorithm;

/**
 * Issues device certificates under one CA and one profile. Thread-safe; this is the hot path, so
 * everything that does not depend on the request is encoded once here, into a {@link CertificateTemplate}, and
 * a certificate is its DER: nothing parses it back (ask {@link IssuedCertificate#x509()} where an
 * {@code X509Certificate} is needed).
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

    private final CertificateAuthority ca;
    private final CertificateProfile profile;
    private final Clock clock;
    private final SerialNumbers serials;
    private final CaSigner signer;
    private final X500Name issuerName;
    private final CaNameMatch caNameMatch;
    private final Instant caNotAfter;
    private final CertificateTemplate template;

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
        this.caNameMatch = new CaNameMatch(issuerName);
        this.caNotAfter = ca.certificate().getNotAfter().toInstant();
        // What SoftwareCaSigner and the token's SignerPool both report, found without asking for a content signer
        // (that takes a thread's idle engine). Each signature's own identifier is still the one that goes in.
        this.template = new CertificateTemplate(
                new DefaultSignatureAlgorithmIdentifierFinder().find(signer.signatureAlgorithm()),
                issuerName, ca.subjectKeyIdentifier(), profile.extendedKeyUsages());
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
        // Once per device: a provider may encode the key anew at every call (Bouncy Castle does).
        byte[] encodedKey = publicKey.getEncoded();
        KeyAlgorithm algorithm = KeyAlgorithm.ofNamedCurveKeyInfo(encodedKey).or(() -> KeyAlgorithm.of(publicKey))
                .orElseThrow(() -> new IssuanceException(
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
        if (!subjectName.isEmpty() && caNameMatch.isCaName(subject)) {
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
        PublicKeyInfo keyInfo = PublicKeyInfo.of(publicKey, encodedKey);
        Instant notBefore = now.minus(profile.backdate()).truncatedTo(ChronoUnit.SECONDS);
        notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
        byte[] subjectDer;
        try {
            subjectDer = subject.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IssuanceException("cannot encode the certificate: " + e.getMessage(), e);
        }
        byte[] altNames = null;
        if (!request.altNames().isEmpty()) {
            try {
                altNames = request.altNames().toGeneralNames().getEncoded(ASN1Encoding.DER);
            } catch (IOException e) {
                throw new IssuanceException("cannot encode the certificate's extensions: " + e.getMessage(), e);
            }
        }
        CertificateTemplate.Device device = new CertificateTemplate.Device(serial, notBefore, notAfter, subjectDer,
                keyInfo, profile.keyAgreement() && algorithm.isEc(), altNames, subjectName.isEmpty());
        byte[] der = sign(device);
        return new IssuedCertificate(der, serial, IssuedCertificate.certificateId(der), notBefore, notAfter);
    }

    /** Signs the device's TBSCertificate with a fresh content signer, as Bouncy Castle's builder did. */
    private byte[] sign(CertificateTemplate.Device device) {
        ContentSigner contentSigner = signer.newContentSigner();
        byte[] algorithm = template.signatureAlgorithm(contentSigner.getAlgorithmIdentifier());
        byte[] toBeSigned = template.toBeSigned(device, algorithm);
        try (OutputStream out = contentSigner.getOutputStream()) {
            out.write(toBeSigned);
        } catch (IOException e) {
            throw new IllegalStateException("cannot produce certificate signature: " + e.getMessage(), e);
        }
        return CertificateTemplate.certificate(toBeSigned, algorithm, contentSigner.getSignature());
    }

    private static String names(List<SubjectName.AttributeType> types) {
        return String.join(", ", types.stream().map(SubjectName.AttributeType::shortName).toList());
    }
}
