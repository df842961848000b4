package dev.keyline.x509;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.SoftwareCaSigner;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;

/** In-memory CAs for the x509 tests. */
final class TestPki {

    static final SoftwareKeySource KEYS = new SoftwareKeySource();

    private TestPki() {
    }

    static CertificateAuthority root(String subject, KeyAlgorithm algorithm, Duration validity, Clock clock) {
        KeyPair pair = KEYS.generate(algorithm);
        X509Certificate certificate = CaCertificateBuilder.root(SubjectName.parse(subject), pair)
                .validity(validity).clock(clock).build();
        return new CertificateAuthority(certificate, List.of(), new SoftwareCaSigner(pair.getPrivate(), pair.getPublic()));
    }

    static CertificateAuthority root(String subject, KeyAlgorithm algorithm) {
        return root(subject, algorithm, CaCertificateBuilder.DEFAULT_VALIDITY, Clock.systemUTC());
    }

    static CertificateAuthority intermediate(String subject, CertificateAuthority parent) {
        KeyPair pair = KEYS.generate(KeyAlgorithm.EC_P256);
        X509Certificate certificate = CaCertificateBuilder.intermediate(SubjectName.parse(subject), pair.getPublic(), parent)
                .validity(Duration.ofDays(3650)).pathLength(0).build();
        return new CertificateAuthority(certificate, parent.chain(), new SoftwareCaSigner(pair.getPrivate(), pair.getPublic()));
    }
}
