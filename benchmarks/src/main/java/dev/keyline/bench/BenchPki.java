package dev.keyline.bench;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.SoftwareCaSigner;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.x509.CaCertificateBuilder;
import dev.keyline.x509.SubjectName;

/** A CA made with the engine's own classes, signing through the provider under test. */
final class BenchPki {

    private BenchPki() {
    }

    static CertificateAuthority rootCa(KeyAlgorithm algorithm, CryptoProvider provider) {
        KeyPair keyPair = new SoftwareKeySource().generate(algorithm);
        var certificate = CaCertificateBuilder.root(SubjectName.parse("/C=US/O=Keyline Bench/CN=Bench CA"), keyPair)
                .validity(Duration.ofDays(3650)).build();
        return new CertificateAuthority(certificate, List.of(certificate),
                new SoftwareCaSigner(keyPair.getPrivate(), keyPair.getPublic())).withProvider(provider);
    }
}
