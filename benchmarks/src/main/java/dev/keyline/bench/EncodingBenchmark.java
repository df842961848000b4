package dev.keyline.bench;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.keyline.bundle.BundleEncoder;
import dev.keyline.bundle.BundleEntry;
import dev.keyline.bundle.BundleOptions;
import dev.keyline.bundle.DeviceBundle;
import dev.keyline.bundle.PassphraseProtection;
import dev.keyline.bundle.Pem;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.IssuanceRequest;
import dev.keyline.x509.IssuedCertificate;
import dev.keyline.x509.Issuer;
import dev.keyline.x509.SubjectName;

/**
 * PEM, PKCS#8 and encrypted PKCS#8 encoding of one device's certificate and key, as the bundle writer does it; and a
 * whole bundle's files with PKCS#12 ({@code --pkcs12}) through the engine's {@link BundleEncoder}.
 */
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

    /** One device's whole bundle with a passphrase and PKCS#12: certificate, encrypted key, chain, device.p12. */
    @Benchmark
    public int bundleWithPkcs12(Pkcs12Bundle state) {
        List<BundleEntry> entries = state.encoder.encode(state.bundle);
        int size = 0;
        for (BundleEntry entry : entries) {
            size += entry.bytes().length;
            entry.wipe();
        }
        return size;
    }

    /** A BundleEncoder is one per writer (per thread), its keys derived once. */
    @State(Scope.Thread)
    public static class Pkcs12Bundle {
        BundleEncoder encoder;
        DeviceBundle bundle;

        @Setup
        public void setUp() throws Exception {
            CertificateAuthority ca = BenchPki.rootCa(KeyAlgorithm.EC_P256, CryptoProvider.BC);
            KeyPair device = new SoftwareKeySource(CryptoProvider.BC).generate(KeyAlgorithm.EC_P256);
            IssuedCertificate issued = new Issuer(ca, CertificateProfile.defaults())
                    .issue(new IssuanceRequest(SubjectName.parse("/CN=device-1"), device.getPublic()));
            bundle = new DeviceBundle("device-1", issued.der(), device.getPrivate(), ca.chain());
            encoder = new BundleEncoder(new BundleOptions(Path.of("unused"),
                    Optional.of("bench passphrase".toCharArray()), true), new SecureRandom(), true);
        }

        @TearDown
        public void tearDown() {
            encoder.close();
        }
    }
}
