package dev.keyline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import dev.keyline.bundle.BundleOptions;
import dev.keyline.bundle.DeviceBundle;
import dev.keyline.bundle.BundleLayout;
import dev.keyline.bundle.BundleWriter;
import dev.keyline.bundle.Pem;
import dev.keyline.bundle.WrittenBundle;
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
 * Writing one device's bundle with the {@code dir} layout and with the {@code archive} layout (no crypto: certificate
 * and key made beforehand), made durable every 500 devices as a chunk would; beside them, the machine's raw rate for creating the same three
 * files in a new folder with plain {@code Files.write} and no durability at all. The file digests come from ACCP where
 * it loads, as in a run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BundleWriteBenchmark {

    private static final int CHUNK = 500;

    private Path out;
    private BundleWriter writer;
    private BundleWriter archiveWriter;
    private IssuedCertificate certificate;
    private KeyPair device;
    private List<java.security.cert.X509Certificate> chain;
    private byte[] certPem;
    private byte[] keyPem;
    private byte[] chainPem;
    private long n;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        out = BenchOutput.create("bundle");
        // As in a run that has loaded ACCP (the default where it is available): the bundles' digests come from it.
        CryptoProvider.AUTO.resolved().provider();
        BundleOptions options = new BundleOptions(out, java.util.Optional.empty(), false);
        writer = BundleLayout.DIR.open(options);
        archiveWriter = BundleLayout.ARCHIVE.open(options.withLayout(BundleLayout.ARCHIVE));
        CertificateAuthority ca = BenchPki.rootCa(KeyAlgorithm.EC_P256, CryptoProvider.BC);
        device = new SoftwareKeySource().generate(KeyAlgorithm.EC_P256);
        certificate = new Issuer(ca, CertificateProfile.defaults())
                .issue(new IssuanceRequest(SubjectName.parse("/CN=device"), device.getPublic()));
        chain = ca.chain();
        certPem = Pem.certificate(certificate.der());
        keyPem = Pem.privateKey(device.getPrivate().getEncoded());
        chainPem = Pem.certificates(chain);
        Files.createDirectories(out.resolve("raw"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        writer.close();
        archiveWriter.close();
        BenchOutput.delete(out);
    }

    @Benchmark
    public WrittenBundle dirLayout() throws IOException {
        WrittenBundle written = writer.write(new DeviceBundle("device-" + Thread.currentThread().getId() + "-" + n,
                certificate.der(), device.getPrivate(), chain));
        if (++n % CHUNK == 0) {
            writer.makeDurable();
        }
        return written;
    }

    @Benchmark
    public WrittenBundle archiveLayout() throws IOException {
        WrittenBundle written = archiveWriter.write(new DeviceBundle("device-" + Thread.currentThread().getId() + "-" + n,
                certificate.der(), device.getPrivate(), chain));
        if (++n % CHUNK == 0) {
            archiveWriter.makeDurable();
        }
        return written;
    }

    @Benchmark
    public Path rawFiles() throws IOException {
        Path dir = Files.createDirectory(out.resolve("raw").resolve("device-" + Thread.currentThread().getId() + "-" + n++));
        Files.write(dir.resolve("device.crt.pem"), certPem);
        Files.write(dir.resolve("device.key.pem"), keyPem);
        Files.write(dir.resolve("chain.pem"), chainPem);
        return dir;
    }
}
