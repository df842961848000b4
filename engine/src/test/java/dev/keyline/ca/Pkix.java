package dev.keyline.ca;

import static org.assertj.core.api.Assertions.fail;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/** The JDK's own PKIX validator (SUN provider), the second independent verifier. */
public final class Pkix {

    private Pkix() {
    }

    /** Validates leaf -> intermediates -> root at {@code date}; fails the test with the validator's reason. */
    public static void validate(X509Certificate root, List<X509Certificate> intermediates, X509Certificate leaf, Date date) {
        try {
            List<X509Certificate> path = new ArrayList<>();
            path.add(leaf);
            path.addAll(intermediates);
            CertificateFactory factory = CertificateFactory.getInstance("X.509", "SUN");
            // Re-parse with the JDK so the validator does not see Bouncy Castle's certificate objects.
            List<X509Certificate> jdkPath = new ArrayList<>();
            for (X509Certificate c : path) {
                jdkPath.add((X509Certificate) factory.generateCertificate(new java.io.ByteArrayInputStream(c.getEncoded())));
            }
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(
                    (X509Certificate) factory.generateCertificate(new java.io.ByteArrayInputStream(root.getEncoded())), null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(date);
            CertPathValidator.getInstance("PKIX", "SUN").validate(factory.generateCertPath(jdkPath), parameters);
        } catch (GeneralSecurityException e) {
            fail("PKIX validation failed: " + e);
        }
    }

    public static void validate(X509Certificate root, List<X509Certificate> intermediates, X509Certificate leaf) {
        validate(root, intermediates, leaf, new Date());
    }
}
