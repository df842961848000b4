package dev.keyline.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;

import dev.keyline.ca.CaException;
import dev.keyline.ca.CaSigner;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.SoftwareCaSigner;
import dev.keyline.keys.KeyIdentifiers;

/**
 * Builds CA certificates: a self-signed root, or an intermediate signed by a parent CA.
 *
 * <p>basicConstraints CA:TRUE (critical, optional pathLenConstraint); keyUsage keyCertSign and cRLSign
 * (critical); subject key identifier (RFC 5280 method 1); authority key identifier = the parent's SKI,
 * or the root's own. notBefore = now - backdate; notAfter = now + validity, for an intermediate clamped
 * to the parent's notAfter. Not thread-safe (a builder); the certificate it makes is independent of it.
 */
public final class CaCertificateBuilder {

    /** Twenty years: a root outlives the devices it certifies. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(7305);

    private final SubjectName subject;
    private final PublicKey publicKey;
    private final CaSigner rootSigner;
    private final CertificateAuthority parent;
    private Duration validity = DEFAULT_VALIDITY;
    private Duration backdate = CertificateProfile.DEFAULT_BACKDATE;
    private Integer pathLength;
    private Clock clock = Clock.systemUTC();
    private SerialNumbers serials = new SerialNumbers();
    private String signatureDigest;

    private CaCertificateBuilder(SubjectName subject, PublicKey publicKey, CaSigner rootSigner, CertificateAuthority parent) {
        this.subject = Objects.requireNonNull(subject, "subject");
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.rootSigner = rootSigner;
        this.parent = parent;
        if (subject.isEmpty()) {
            throw new CaException("a CA needs a subject: give it at least a CN, e.g. /C=US/O=Acme/CN=Acme Device CA");
        }
    }

    /** A self-signed root for this key pair. */
    public static CaCertificateBuilder root(SubjectName subject, KeyPair keyPair) {
        return root(subject, new SoftwareCaSigner(keyPair.getPrivate(), keyPair.getPublic()));
    }

    /** A self-signed root for the key behind {@code signer}, wherever it lives (e.g. in a PKCS#11 token). */
    public static CaCertificateBuilder root(SubjectName subject, CaSigner signer) {
        return new CaCertificateBuilder(subject, signer.publicKey(), signer, null);
    }

    /**
     * An intermediate CA for {@code publicKey}, signed by {@code parent}.
     *
     * @throws CaException when the subject equals the parent's
     */
    public static CaCertificateBuilder intermediate(SubjectName subject, PublicKey publicKey, CertificateAuthority parent) {
        Objects.requireNonNull(parent, "parent");
        if (subject.toX500Name().equals(parent.subject())) {
            throw new CaException("the intermediate CA's subject \"" + subject + "\" is its issuer's subject: "
                    + "verifiers would take it for self-issued; give the intermediate its own CN");
        }
        return new CaCertificateBuilder(subject, publicKey, null, parent);
    }

    public CaCertificateBuilder validity(Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new CaException("a CA's validity must be positive (got " + validity.toDays() + " days)");
        }
        this.validity = validity;
        return this;
    }

    public CaCertificateBuilder backdate(Duration backdate) {
        this.backdate = Objects.requireNonNull(backdate, "backdate");
        return this;
    }

    /** The pathLenConstraint; none by default. */
    public CaCertificateBuilder pathLength(int pathLength) {
        if (pathLength < 0) {
            throw new CaException("pathLength must be 0 or more (got " + pathLength + ")");
        }
        this.pathLength = pathLength;
        return this;
    }

    public CaCertificateBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public CaCertificateBuilder serialNumbers(SerialNumbers serials) {
        this.serials = Objects.requireNonNull(serials, "serials");
        return this;
    }

    /** The digest of the CA signature; by default the one matching the signing key (SHA-384 for P-384). */
    public CaCertificateBuilder signatureDigest(String digest) {
        this.signatureDigest = digest;
        return this;
    }

    public X509Certificate build() {
        CaSigner signer = parent == null ? rootSigner : parent.signer();
        if (signatureDigest != null) {
            signer = signer.withDigest(signatureDigest);
        }
        SubjectPublicKeyInfo keyInfo = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
        byte[] ski = KeyIdentifiers.subjectKeyIdentifier(keyInfo);
        X500Name subjectName = subject.toX500Name();
        X500Name issuerName = parent == null ? subjectName : parent.subject();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = now.plus(validity);
        if (parent != null) {
            Instant parentNotAfter = parent.certificate().getNotAfter().toInstant();
            if (notAfter.isAfter(parentNotAfter)) {
                notAfter = parentNotAfter;
            }
            if (!notAfter.isAfter(now)) {
                throw new CaException("the issuing CA " + parent.certificate().getSubjectX500Principal().getName()
                        + " expired at " + parentNotAfter + ": renew it first");
            }
        }
        BigInteger serial = serials.next();
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuerName, serial,
                Certificates.seconds(now.minus(backdate)), Certificates.seconds(notAfter), subjectName, keyInfo);
        try {
            builder.addExtension(Extension.basicConstraints, true,
                    pathLength == null ? new BasicConstraints(true) : new BasicConstraints(pathLength));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(ski));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(parent == null ? ski : parent.subjectKeyIdentifier()));
            return Certificates.fromDer(builder.build(signer.newContentSigner()).getEncoded());
        } catch (IOException e) {
            throw new CaException("cannot encode the CA certificate: " + e.getMessage(), e);
        }
    }

    /** The parent, for an intermediate. */
    public Optional<CertificateAuthority> parent() {
        return Optional.ofNullable(parent);
    }
}
