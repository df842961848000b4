package dev.keyline.x509;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import dev.keyline.ca.CaException;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.SignatureAlgorithms;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.text.InertText;

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

    /** X.520's upper bound for a commonName (ub-common-name), in characters. */
    public static final int MAX_CODE_LENGTH = 64;
    private static final CertificateProfile PROFILE = CertificateProfile.defaults()
            .withValidity(Duration.ofDays(1)).withExtendedKeyUsages(List.of());

    private VerificationCertificates() {
    }

    /**
     * Issues the verification certificate for {@code registrationCode} under {@code ca}, and checks it before handing it
     * out (see {@link #check}).
     *
     * @throws IllegalArgumentException when the code cannot be a CN ({@link #checkCode})
     * @throws CaException              when the certificate the CA's signer made does not check out
     */
    public static X509Certificate issue(CertificateAuthority ca, String registrationCode, Clock clock) {
        Objects.requireNonNull(ca, "ca");
        checkCode(registrationCode);
        KeyPair throwaway = new SoftwareKeySource().generate(KeyAlgorithm.EC_P256);
        IssuedCertificate issued = new Issuer(ca, PROFILE.withSignatureDigest(digestOf(ca)), clock, new SerialNumbers())
                .issue(new IssuanceRequest(SubjectName.commonNameValue(registrationCode),
                        throwaway.getPublic()));
        X509Certificate certificate = issued.x509();
        check(certificate, registrationCode, ca.certificate());
        return certificate;
    }

    /**
     * Whether a registration code can go into a verification certificate: 1 to {@value #MAX_CODE_LENGTH} printable
     * characters (no control or bidirectional control character, not only spaces). AWS sends 64 hexadecimal
     * characters, but nothing here depends on that: the code is the CN's whole value, set as a value and never parsed
     * as a name, so any printable code that fits is put in as it is; emulators that answer a UUID work.
     *
     * @throws IllegalArgumentException showing the value (escaped) and what is wrong with it
     */
    public static void checkCode(String registrationCode) {
        if (registrationCode == null) {
            throw new IllegalArgumentException("GetRegistrationCode answered no registration code");
        }
        int length = registrationCode.codePointCount(0, registrationCode.length());
        String problem = null;
        if (registrationCode.isBlank()) {
            problem = "it is empty";
        } else if (length > MAX_CODE_LENGTH) {
            problem = "it has " + length + " characters and a CN holds at most " + MAX_CODE_LENGTH;
        } else if (registrationCode.codePoints().anyMatch(c -> InertText.isControl(c) || Character.getType(c) == Character.UNASSIGNED
                || Character.getType(c) == Character.SURROGATE)) {
            problem = "it has a character that is not printable";
        }
        if (problem != null) {
            throw new IllegalArgumentException("the registration code \"" + registrationCode + "\" cannot be the CN of "
                    + "a verification certificate: " + problem + " (a code is 1 to " + MAX_CODE_LENGTH + " printable characters)");
        }
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
            throw new CaException("the verification certificate's subject is \"" + subject.toString() + "\", not CN="
                    + registrationCode
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
