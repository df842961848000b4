package dev.keyline.x509;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import dev.keyline.ca.CaException;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.SignatureAlgorithms;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;

/**
 * The verification certificate that proves to AWS IoT that we hold a CA's private key (DEFAULT-mode CA registration):
 * its subject is {@code CN=<the account's registration code>} and it is signed by the CA key, through the CA's
 * {@link dev.keyline.ca.CaSigner} like every certificate Keyline issues, so a CA key in a token signs it in the token.
 * <p>
 * The certificate's own key pair is thrown away: AWS reads only the CN and the signature. It is valid for a day
 * (backdated five minutes for clock skew), long enough for the registration it is made for.
 * Stateless and thread-safe.
 */
public final class VerificationCertificates {

    /** GetRegistrationCode answers 64 lowercase hex characters (reference/aws-iot.md section 1). */
    private static final Pattern CODE = Pattern.compile("[0-9a-fA-F]{64}");
    private static final CertificateProfile PROFILE = CertificateProfile.defaults()
            .withValidity(Duration.ofDays(1)).withExtendedKeyUsages(List.of());

    private VerificationCertificates() {
    }

    /**
     * Issues the verification certificate for {@code registrationCode} under {@code ca}, and checks it before handing it
     * out (see {@link #check}).
     *
     * @throws IllegalArgumentException when the code is not what GetRegistrationCode answers
     * @throws CaException              when the certificate the CA's signer made does not check out
     */
    public static X509Certificate issue(CertificateAuthority ca, String registrationCode, Clock clock) {
        Objects.requireNonNull(ca, "ca");
        if (registrationCode == null || !CODE.matcher(registrationCode).matches()) {
            throw new IllegalArgumentException("the registration code \"" + registrationCode
                    + "\" is not 64 hexadecimal characters as GetRegistrationCode answers");
        }
        KeyPair throwaway = new SoftwareKeySource().generate(KeyAlgorithm.EC_P256);
        IssuedCertificate issued = new Issuer(ca, PROFILE.withSignatureDigest(digestOf(ca)), clock, new SerialNumbers())
                .issue(new IssuanceRequest(SubjectName.builder().add(SubjectName.AttributeType.CN, registrationCode).build(),
                        throwaway.getPublic()));
        X509Certificate certificate = issued.x509();
        check(certificate, registrationCode, ca.certificate());
        return certificate;
    }

    /**
     * What AWS IoT will check, checked here first: the only CN is {@code registrationCode} and the signature verifies
     * with the CA certificate's public key. A failure means the CA's signer does not hold this CA's key (a token holding
     * another key under the label, say), and nothing must be sent.
     *
     * @throws CaException naming what does not match
     */
    public static void check(X509Certificate verification, String registrationCode, X509Certificate caCertificate) {
        X500Name subject = X500Name.getInstance(verification.getSubjectX500Principal().getEncoded());
        RDN[] cns = subject.getRDNs(BCStyle.CN);
        String cn = cns.length == 1 && cns[0].getFirst().getValue() instanceof ASN1String s ? s.getString() : null;
        if (cn == null || !cn.equals(registrationCode)) {
            throw new CaException("the verification certificate's subject is \"" + subject + "\", not CN=" + registrationCode
                    + " (the registration code): nothing was sent to AWS");
        }
        try {
            verification.verify(caCertificate.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CaException("the verification certificate does not verify with the public key of the CA certificate "
                    + caCertificate.getSubjectX500Principal().getName() + " (" + e.getMessage() + "): the CA's signing key is "
                    + "not this CA's key; nothing was sent to AWS", e);
        }
    }

    /** The digest the CA signs with already (a token-held key may offer only that one). */
    private static String digestOf(CertificateAuthority ca) {
        return SignatureAlgorithms.digestOf(ca.signer().signatureAlgorithm());
    }
}
