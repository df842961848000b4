package dev.keyline.lint;

import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The checks of a device certificate that do not depend on its subject: validity window, key usage and extended key
 * usage for TLS client authentication, the signature algorithm AWS IoT accepts, and the chain to a given CA (the
 * JDK's PKIX CertPathValidator, revocation off). Stateless.
 */
final class CertificateUsage {

    static final String VALIDITY = "certificate.validity";
    static final String KEY_USAGE = "certificate.key-usage";
    static final String EXTENDED_KEY_USAGE = "certificate.extended-key-usage";
    static final String BASIC_CONSTRAINTS = "certificate.basic-constraints";
    static final String SIGNATURE = "certificate.signature-algorithm";
    static final String CHAIN = "certificate.chain";

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final Duration SOON = Duration.ofDays(30);
    /** AWS IoT's documented signature algorithms (reference/aws-iot.md section 4), as the JDK names them. */
    private static final Set<String> ACCEPTED_SIGNATURES = Set.of("SHA256WITHRSA", "SHA384WITHRSA", "SHA512WITHRSA",
            "SHA256WITHECDSA", "SHA384WITHECDSA", "SHA512WITHECDSA");

    private CertificateUsage() {
    }

    static void validity(X509Certificate cert, Instant now, Observations seen) {
        Instant from = cert.getNotBefore().toInstant();
        Instant to = cert.getNotAfter().toInstant();
        String window = from + " to " + to;
        if (now.isBefore(from)) {
            seen.add(Finding.error(VALIDITY, "notBefore", from.toString(), "the certificate is not valid yet (" + window
                    + "); AWS IoT checks the validity window at registration and at connection",
                    "wait until " + from + ", or issue it again with a notBefore in the past (allow for clock skew)"));
        } else if (now.isAfter(to)) {
            seen.add(Finding.error(VALIDITY, "notAfter", to.toString(), "the certificate expired at " + to,
                    "issue the device a new certificate"));
        } else if (Duration.between(now, to).compareTo(SOON) < 0) {
            seen.add(Finding.warning(VALIDITY, "notAfter", to.toString(), "the certificate expires in less than 30 days ("
                    + window + ")", "plan its renewal"));
        } else {
            seen.ok("valid " + window);
        }
    }

    static void usages(X509Certificate cert, Observations seen) {
        boolean[] keyUsage = cert.getKeyUsage();
        if (keyUsage == null) {
            seen.ok("no keyUsage extension: any use of the key");
        } else if (!keyUsage[0]) {
            seen.add(Finding.error(KEY_USAGE, "keyUsage", null, "keyUsage lacks digitalSignature, which a TLS client "
                    + "needs to prove it holds the key: the handshake with AWS IoT fails",
                    "issue the certificate again with keyUsage digitalSignature"));
        } else {
            seen.ok("keyUsage has digitalSignature");
        }
        List<String> eku;
        try {
            eku = cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            seen.add(Finding.error(EXTENDED_KEY_USAGE, "extendedKeyUsage", null, "the extendedKeyUsage extension does not "
                    + "parse: " + e.getMessage(), "issue the certificate again"));
            return;
        }
        if (eku == null) {
            seen.ok("no extendedKeyUsage: any purpose, client authentication included");
        } else if (eku.contains(CLIENT_AUTH) || eku.contains(ANY_EXTENDED_KEY_USAGE)) {
            seen.ok("extendedKeyUsage allows clientAuth");
        } else {
            seen.add(Finding.error(EXTENDED_KEY_USAGE, "extendedKeyUsage", String.join(",", eku), "extendedKeyUsage "
                    + eku + " does not include clientAuth (1.3.6.1.5.5.7.3.2): the certificate cannot authenticate "
                    + "a TLS client", "issue the certificate again with extendedKeyUsage clientAuth"));
        }
        if (cert.getBasicConstraints() >= 0) {
            seen.add(Finding.warning(BASIC_CONSTRAINTS, "basicConstraints", "CA:TRUE", "the certificate is a CA "
                    + "certificate (basicConstraints CA:TRUE; `openssl req -x509` adds it by default); a device "
                    + "certificate should be CA:FALSE", "sign the device's request with your CA instead of self-signing it"));
        }
        String algorithm = cert.getSigAlgName().toUpperCase(Locale.ROOT);
        if (ACCEPTED_SIGNATURES.contains(algorithm)) {
            seen.ok("signature " + cert.getSigAlgName() + ": accepted by AWS IoT");
        } else if (algorithm.contains("PSS")) {
            seen.add(Finding.warning(SIGNATURE, "signatureAlgorithm", cert.getSigAlgName(), "RSASSA-PSS appears only on an "
                    + "older AWS IoT page", "sign with SHA256withRSA or SHA256withECDSA"));
        } else {
            seen.add(Finding.error(SIGNATURE, "signatureAlgorithm", cert.getSigAlgName(), "AWS IoT accepts SHA-256, "
                    + "SHA-384 or SHA-512 with RSA or ECDSA, not " + cert.getSigAlgName(),
                    "issue the certificate again signed with SHA-256"));
        }
    }

    /** PKIX validation with every certificate of the CA file as a trust anchor. */
    static void chain(X509Certificate cert, List<X509Certificate> cas, Instant now, Observations seen) {
        Set<TrustAnchor> anchors = new HashSet<>();
        cas.forEach(ca -> anchors.add(new TrustAnchor(ca, null)));
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(now));
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), params);
            seen.ok("chain: verified against " + cas.get(0).getSubjectX500Principal().getName() + " (JDK PKIX)");
        } catch (CertPathValidatorException e) {
            seen.add(Finding.error(CHAIN, "issuer", cert.getIssuerX500Principal().getName(), "the certificate does not "
                    + "chain to the given CA: " + e.getMessage() + "; AWS IoT refuses it (CertificateValidationException) "
                    + "or, registered without a CA, the device's TLS handshake fails",
                    "register the CA that signed it (issuer " + cert.getIssuerX500Principal().getName()
                            + "), or issue the device a certificate from this CA"));
        } catch (java.security.GeneralSecurityException e) {
            seen.add(Finding.error(CHAIN, "issuer", null, "the chain cannot be checked: " + e.getMessage(),
                    "give --ca a PEM file with the CA certificate"));
        }
    }
}
