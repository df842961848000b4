package dev.keyline.bench;

import java.security.PublicKey;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.IssuanceRequest;
import dev.keyline.x509.IssuedCertificate;
import dev.keyline.x509.Issuer;
import dev.keyline.x509.SubjectAltNames;
import dev.keyline.x509.SubjectName;

/** Certificate build + sign through the engine's Issuer (key made beforehand); the DER is not parsed back. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IssueCertificateBenchmark {

    @Param({"accp", "bc"})
    public String provider;

    private Issuer issuer;
    private IssuanceRequest request;

    @Setup
    public void setUp() {
        CryptoProvider p = CryptoProvider.fromId(provider);
        issuer = new Issuer(BenchPki.rootCa(KeyAlgorithm.EC_P256, p), CertificateProfile.defaults());
        PublicKey device = new SoftwareKeySource(p).generate(KeyAlgorithm.EC_P256).getPublic();
        request = new IssuanceRequest(SubjectName.parse("/C=US/O=Acme/CN=device-000001"),
                SubjectAltNames.ofDns("device-000001.example"), device);
    }

    @Benchmark
    public IssuedCertificate issue() {
        return issuer.issue(request);
    }
}
