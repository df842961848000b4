package dev.keyline.ca;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keyline.ca.store.HsmCaSigner;
import dev.keyline.hsm.HsmConfig;
import dev.keyline.hsm.KeySpec;
import dev.keyline.hsm.Pkcs11Token;
import dev.keyline.hsm.SignerPool;
import dev.keyline.hsm.TokenKeyType;
import dev.keyline.hsm.testing.SoftHsm;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.IssuanceRequest;
import dev.keyline.x509.Issuer;
import dev.keyline.x509.SubjectName;
import dev.keyline.x509.TokenCaInitializer;

/**
 * Measures, on a fresh SoftHSM token (a harness, not a test; command in hsm-bridge/README.md):
 * raw P-256 signatures per second through the signer pool, device certificates per second through
 * {@link Issuer} with the CA key in the token (the same pool, plus building and encoding the certificate),
 * each at 1 and 2 threads, and key pairs generated in the token per second.
 */
public final class HsmThroughput {

    private static final Duration ROUND = Duration.ofSeconds(5);

    public static void main(String[] args) throws Exception {
        SoftHsm.get();
        Path dir = Files.createTempDirectory("keyline-hsm-throughput");
        Path file = SoftHsm.writeConfig(dir, "hsm", "token-label: " + SoftHsm.TOKEN, SoftHsm.USER_PIN);
        HsmConfig config = HsmConfig.load(file);
        CertificateAuthority ca = new TokenCaInitializer().init(SubjectName.parse("CN=Throughput CA,O=Acme,C=US"),
                KeyAlgorithm.EC_P256, Duration.ofDays(30), dir.resolve("ca"), Optional.empty(), file, "throughput-ca", Map.of());
        try (HsmCaSigner signer = (HsmCaSigner) ca.signer()) {
            Pkcs11Token token = signer.token();
            SignerPool raw = token.signerPool(token.requireKey("throughput-ca"), "SHA256withECDSA");
            Issuer issuer = new Issuer(ca, CertificateProfile.defaults());
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair device = generator.generateKeyPair();
            byte[] toBeSigned = new byte[350]; // about a device certificate's TBS
            IssuanceRequest request = new IssuanceRequest(SubjectName.parse("CN=dev-0001,O=Acme,C=US"), device.getPublic());
            System.out.printf("sessions in the pool: %d; %d s per measurement after a %d s warm-up%n",
                    config.sessions(), ROUND.toSeconds(), ROUND.toSeconds());
            for (int threads : new int[] {1, 2}) {
                rate("raw P-256 signatures (SignerPool.sign)", threads, () -> raw.sign(toBeSigned));
                rate("device certificates (Issuer, HSM CA)", threads, () -> issuer.issue(request));
            }
            AtomicInteger n = new AtomicInteger();
            rate("EC P-256 key pairs generated in the token (session objects)", 1, () -> token.generate(
                    new KeySpec(TokenKeyType.EC_P256, "gen-" + n.incrementAndGet(), new byte[] {1}, false, true, false)));
            rate("RSA-2048 key pairs generated in the token (session objects)", 1, () -> token.generate(
                    new KeySpec(TokenKeyType.RSA_2048, "rsa-" + n.incrementAndGet(), new byte[] {2}, false, true, false)));
        }
    }

    private static void rate(String what, int threads, Runnable operation) throws Exception {
        run(threads, operation); // warm-up
        double perSecond = run(threads, operation);
        System.out.printf("%-62s threads=%d  %,10.0f /s%n", what, threads, perSecond);
    }

    private static double run(int threads, Runnable operation) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        long end = start + ROUND.toNanos();
        List<Future<Integer>> counts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            counts.add(executor.submit(() -> {
                int done = 0;
                while (System.nanoTime() < end) {
                    operation.run();
                    done++;
                }
                return done;
            }));
        }
        long total = 0;
        for (Future<Integer> count : counts) {
            total += count.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        executor.shutdown();
        return total / seconds;
    }
}
