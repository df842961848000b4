package dev.keyline.lint;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Whether a CA certificate can be registered with AWS IoT, checked before anything is sent: basicConstraints CA:TRUE,
 * keyUsage keyCertSign, inside its validity window, and a key AWS IoT takes for a CA (RSA of 2048 bits or more, EC
 * P-256 or P-384). AWS would refuse the first three with CertificateValidationException; the key rule is the one the
 * CA registration issue sets (reference/aws-iot.md section 4 documents RSA >= 2048 and, for CSRs, the EC curves).
 * Stateless and thread-safe.
 */
public final class CaCertificateLint {

    public static final String BASIC_CONSTRAINTS = "ca.basic-constraints";
    public static final String KEY_USAGE = "ca.key-usage";
    public static final String VALIDITY = "ca.validity";
    public static final String KEY = "ca.key";

    private static final int KEY_CERT_SIGN = 5;
    private static final Map<String, String> CURVES = Map.of("1.2.840.10045.3.1.7", "P-256", "1.3.132.0.34", "P-384");

    private CaCertificateLint() {
    }

    /** Every reason AWS IoT would not take {@code ca} as a CA at {@code now}; empty when there is none. */
    public static List<Finding> check(X509Certificate ca, Instant now) {
        List<Finding> findings = new ArrayList<>();
        String subject = ca.getSubjectX500Principal().getName();
        if (ca.getBasicConstraints() < 0) {
            findings.add(Finding.error(BASIC_CONSTRAINTS, "basicConstraints", null, "the certificate " + subject
                    + " is not a CA certificate: it lacks basicConstraints CA:TRUE, so AWS IoT refuses it as a CA "
                    + "(CertificateValidationException)", "register the CA that signs the devices (its ca.crt.pem), "
                    + "e.g. one made by `keyline ca init`"));
        }
        boolean[] usage = ca.getKeyUsage();
        if (usage == null || usage.length <= KEY_CERT_SIGN || !usage[KEY_CERT_SIGN]) {
            findings.add(Finding.error(KEY_USAGE, "keyUsage", usage == null ? null : "no keyCertSign", "the certificate "
                    + subject + (usage == null ? " has no keyUsage extension" : "'s keyUsage lacks keyCertSign")
                    + ": it may not sign certificates", "use a CA certificate with keyUsage keyCertSign (keyline ca init "
                    + "makes one)"));
        }
        Instant notBefore = ca.getNotBefore().toInstant();
        Instant notAfter = ca.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            findings.add(Finding.error(VALIDITY, "notAfter", notAfter.toString(), "the CA certificate " + subject
                    + " expired on " + notAfter + "; AWS IoT refuses certificates outside their validity",
                    "register a CA that is valid now (keyline ca init)"));
        } else if (now.isBefore(notBefore)) {
            findings.add(Finding.error(VALIDITY, "notBefore", notBefore.toString(), "the CA certificate " + subject
                    + " is not valid before " + notBefore, "wait until then, or check this machine's clock"));
        }
        key(ca.getPublicKey(), subject, findings);
        return findings;
    }

    private static void key(PublicKey key, String subject, List<Finding> findings) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < 2048) {
                findings.add(Finding.error(KEY, "key", "RSA " + bits, "the CA key of " + subject + " is RSA " + bits
                        + " bits; AWS IoT takes RSA keys of 2048 bits or more", "make a new CA: --key rsa-2048 or ec-p256"));
            }
            return;
        }
        if (key.getAlgorithm().equals("EC")) {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
            String oid = info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier o ? o.getId() : "explicit parameters";
            if (!CURVES.containsKey(oid)) {
                findings.add(Finding.error(KEY, "key", "EC " + oid, "the CA key of " + subject + " is on the EC curve "
                        + oid + "; a CA for AWS IoT uses P-256 or P-384", "make a new CA: --key ec-p256 or ec-p384"));
            }
            return;
        }
        findings.add(Finding.error(KEY, "key", key.getAlgorithm(), "the CA key of " + subject + " is " + key.getAlgorithm()
                + "; a CA for AWS IoT uses RSA (2048 bits or more) or EC P-256/P-384", "make a new CA: --key ec-p256"));
    }
}
