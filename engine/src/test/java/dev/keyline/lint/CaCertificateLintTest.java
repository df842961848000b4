package dev.keyline.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** CA certificates made with Bouncy Castle directly (not Keyline's builder), each broken in one way AWS IoT refuses. */
class CaCertificateLintTest {

    private static final Instant NOW = Instant.now();

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(bits);
        return g.generateKeyPair();
    }

    /** A self-signed certificate; {@code ca} null leaves basicConstraints out, {@code usage} < 0 leaves keyUsage out. */
    private static X509Certificate certificate(KeyPair keys, Boolean ca, int usage, Instant from, Instant to) throws Exception {
        X500Name name = new X500Name("CN=Lint Test CA,O=Acme");
        var b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(NOW.toEpochMilli()), Date.from(from), Date.from(to),
                name, keys.getPublic());
        if (ca != null) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        }
        if (usage >= 0) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
        }
        String algorithm = keys.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate())));
    }

    private static X509Certificate valid(KeyPair keys) throws Exception {
        return certificate(keys, true, KeyUsage.keyCertSign | KeyUsage.cRLSign, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    }

    private static List<String> codes(X509Certificate certificate) {
        return CaCertificateLint.check(certificate, NOW).stream().map(Finding::code).toList();
    }

    @Test
    void aCaWithKeyCertSignInsideItsValidityOnP256P384OrRsa2048Passes() throws Exception {
        assertThat(codes(valid(ec("secp256r1")))).isEmpty();
        assertThat(codes(valid(ec("secp384r1")))).isEmpty();
        assertThat(codes(valid(rsa(2048)))).isEmpty();
    }

    @Test
    void aDeviceCertificateIsNotACa() throws Exception {
        X509Certificate device = certificate(ec("secp256r1"), false, KeyUsage.digitalSignature, NOW.minusSeconds(60), NOW.plusSeconds(3600));

        List<Finding> findings = CaCertificateLint.check(device, NOW);

        assertThat(findings).extracting(Finding::code).containsExactly(CaCertificateLint.BASIC_CONSTRAINTS, CaCertificateLint.KEY_USAGE);
        assertThat(findings.get(0).message()).contains("not a CA certificate").contains("basicConstraints CA:TRUE");
        assertThat(codes(certificate(ec("secp256r1"), null, -1, NOW.minusSeconds(60), NOW.plusSeconds(3600))))
                .containsExactly(CaCertificateLint.BASIC_CONSTRAINTS, CaCertificateLint.KEY_USAGE);
    }

    @Test
    void aCaWithoutKeyCertSignMayNotSign() throws Exception {
        List<Finding> findings = CaCertificateLint.check(certificate(ec("secp256r1"), true, KeyUsage.cRLSign,
                NOW.minusSeconds(60), NOW.plusSeconds(3600)), NOW);

        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(CaCertificateLint.KEY_USAGE);
            assertThat(f.message()).contains("lacks keyCertSign");
        });
    }

    @Test
    void expiredAndNotYetValidCasAreRefused() throws Exception {
        KeyPair keys = ec("secp256r1");
        X509Certificate expired = certificate(keys, true, KeyUsage.keyCertSign, NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(1)));
        X509Certificate future = certificate(keys, true, KeyUsage.keyCertSign, NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(10)));

        assertThat(CaCertificateLint.check(expired, NOW)).singleElement().satisfies(f -> assertThat(f.message()).contains("expired on"));
        assertThat(CaCertificateLint.check(future, NOW)).singleElement().satisfies(f -> assertThat(f.message()).contains("not valid before"));
    }

    @Test
    void shortRsaAndOtherCurvesAreRefused() throws Exception {
        assertThat(CaCertificateLint.check(valid(rsa(1024)), NOW)).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(CaCertificateLint.KEY);
            assertThat(f.value()).isEqualTo("RSA 1024");
            assertThat(f.message()).contains("2048 bits or more");
        });
        assertThat(CaCertificateLint.check(valid(ec("secp521r1")), NOW)).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(CaCertificateLint.KEY);
            assertThat(f.message()).contains("1.3.132.0.35").contains("P-256 or P-384");
        });
    }
}
