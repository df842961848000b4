package dev.keyline.bench;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.keyline.bundle.PassphraseProtection;
import dev.keyline.bundle.Pem;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.IssuanceRequest;
import dev.keyline.x509.Issuer;
import dev.keyline.x509.SubjectName;

/** PEM, PKCS#8 and encrypted PKCS#8 encoding of one device's certificate and key, as the bundle writer does it. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EncodingBenchmark {

    private byte[] certificateDer;
    private byte[] pkcs8;
    private PassphraseProtection protection;

    @Setup
    public void setUp() {
        KeyPair device = new SoftwareKeySource(CryptoProvider.BC).generate(KeyAlgorithm.EC_P256);
        certificateDer = new Issuer(BenchPki.rootCa(KeyAlgorithm.EC_P256, CryptoProvider.BC), CertificateProfile.defaults())
                .issue(new IssuanceRequest(SubjectName.parse("/CN=device-1"), device.getPublic())).der();
        pkcs8 = device.getPrivate().getEncoded();
        // Key derivation happens once per writer (here), not per file: what is measured is the per-device cost.
        protection = new PassphraseProtection("bench passphrase".toCharArray(), 600_000, new SecureRandom());
    }

    @TearDown
    public void tearDown() {
        protection.close();
    }

    @Benchmark
    public byte[] certificatePem() {
        return Pem.certificate(certificateDer);
    }

    @Benchmark
    public byte[] privateKeyPem() {
        return Pem.privateKey(pkcs8);
    }

    @Benchmark
    public byte[] encryptedPrivateKeyPem() {
        return Pem.encryptedPrivateKey(protection.encryptPrivateKey(pkcs8));
    }
}
