package dev.keyline.x509;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.keyline.keys.CryptoProviders;

/** Helpers shared by the certificate builders. */
final class Certificates {

    /**
     * Bouncy Castle's factory, one per thread: the JDK's X.509 factory keeps a global cache behind a
     * static lock, which every issuing thread would contend on (and fill with certificates that are
     * never asked for again).
     */
    private static final ThreadLocal<CertificateFactory> FACTORY = ThreadLocal.withInitial(() -> {
        try {
            return CertificateFactory.getInstance("X.509", CryptoProviders.bc());
        } catch (CertificateException e) {
            throw new IllegalStateException("Bouncy Castle has no X.509 certificate factory", e);
        }
    });

    private Certificates() {
    }

    static X509Certificate fromDer(byte[] der) {
        try {
            return (X509Certificate) FACTORY.get().generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IssuanceException("the certificate just built does not parse: " + e.getMessage(), e);
        }
    }

    /** Certificate times have whole seconds; truncating here keeps computed bounds and the encoding equal. */
    static Date seconds(Instant instant) {
        return Date.from(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
