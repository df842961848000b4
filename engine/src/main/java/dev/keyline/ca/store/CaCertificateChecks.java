package dev.keyline.ca.store;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import dev.keyline.ca.CaException;

/**
 * What a CA folder's certificates must be before the CA may sign: a CA certificate, a chain in which each
 * certificate is signed by the next, and valid now. Each refusal names the file and what to do.
 */
final class CaCertificateChecks {

    private static final int KEY_USAGE_KEY_CERT_SIGN = 5;

    private CaCertificateChecks() {
    }

    /** basicConstraints CA:TRUE and, when keyUsage is present, keyCertSign. */
    static void requireCa(X509Certificate certificate, Object where) {
        if (certificate.getBasicConstraints() < 0) {
            throw new CaException(where + " is not a CA certificate (it lacks basicConstraints CA:TRUE): "
                    + "use a CA certificate, e.g. one made by `keyline ca init`");
        }
        boolean[] usage = certificate.getKeyUsage();
        if (usage != null && (usage.length <= KEY_USAGE_KEY_CERT_SIGN || !usage[KEY_USAGE_KEY_CERT_SIGN])) {
            throw new CaException(where + " may not sign certificates (its keyUsage lacks keyCertSign): "
                    + "use a CA certificate, e.g. one made by `keyline ca init`");
        }
    }

    /** Each certificate of {@code chain} (read from {@code chainFile}) is signed by the next one. */
    static void requireLinked(List<X509Certificate> chain, Path chainFile) {
        for (int i = 0; i + 1 < chain.size(); i++) {
            try {
                chain.get(i).verify(chain.get(i + 1).getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new CaException(chainFile + ": certificate " + (i + 1) + " ("
                        + chain.get(i).getSubjectX500Principal().getName() + ") is not signed by the next one ("
                        + chain.get(i + 1).getSubjectX500Principal().getName() + "): restore the chain from your backup");
            }
        }
    }

    /** The CA certificate of the folder {@code dir} is valid at {@code now}. */
    static void requireValidAt(X509Certificate certificate, Instant now, Path dir) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        Instant notBefore = certificate.getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            throw new CaException("the CA certificate in " + dir + " expired on " + notAfter
                    + ": create a new CA with `keyline ca init` (devices cannot be issued under an expired CA)");
        }
        if (now.isBefore(notBefore)) {
            throw new CaException("the CA certificate in " + dir + " is not valid before " + notBefore
                    + ": check this machine's clock");
        }
    }
}
