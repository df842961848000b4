package dev.keyline.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.ca.CaException;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.OpenSsl;
import dev.keyline.ca.Pkix;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.CaSecrets;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeyIdentifiers;

class CaInitializerTest {

    private static final char[] PASS = "line-4 passphrase".toCharArray();
    private static final CaSecrets SECRETS = new CaSecrets(PASS::clone, Map.of());
    private static final SubjectName ROOT_NAME = SubjectName.parse("/C=US/O=Acme/CN=Acme Device Root");

    @TempDir
    Path tmp;

    private final CaInitializer initializer = new CaInitializer();

    @Test
    void initWritesARootCaThatLoadsBackAndIssuesVerifiableCertificates() throws Exception {
        Path out = tmp.resolve("root");
        CertificateAuthority made = initializer.init(ROOT_NAME, KeyAlgorithm.EC_P384, Duration.ofDays(7305), out,
                Optional.empty(), PASS);

        CertificateAuthority loaded = new CaFolder(out).keyStore().open(SECRETS);
        X509Certificate root = loaded.certificate();
        assertThat(root).isEqualTo(made.certificate());
        assertThat(loaded.chain()).containsExactly(root);
        assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
        assertThat(root.getSigAlgName()).isEqualToIgnoringCase("SHA384withECDSA");
        assertCaExtensions(root);
        assertThat(IssuerTest.aki(root)).isEqualTo(IssuerTest.ski(root))
                .isEqualTo(KeyIdentifiers.subjectKeyIdentifier(root.getPublicKey()));
        assertThat(loaded.subject()).isEqualTo(ROOT_NAME.toX500Name());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rwx------");

        OpenSsl.verify(tmp, root, List.of(), root);
        X509Certificate device = new Issuer(loaded, CertificateProfile.defaults()).issue(new IssuanceRequest(
                SubjectName.parse("/CN=dev-1"), TestPki.KEYS.generate(KeyAlgorithm.EC_P256).getPublic())).x509();
        Pkix.validate(root, List.of(), device);
        OpenSsl.verify(tmp, root, List.of(), device);
    }

    @Test
    void initWritesAnIntermediateSignedByItsIssuer() throws Exception {
        initializer.init(ROOT_NAME, KeyAlgorithm.EC_P256, Duration.ofDays(7305), tmp.resolve("root"), Optional.empty(), PASS);
        CertificateAuthority root = new CaFolder(tmp.resolve("root")).keyStore().open(SECRETS);
        initializer.init(SubjectName.parse("/C=US/O=Acme/CN=Acme Line 4 CA"), KeyAlgorithm.EC_P256, Duration.ofDays(3650),
                tmp.resolve("line4"), Optional.of(root), PASS);

        CertificateAuthority intermediate = new CaFolder(tmp.resolve("line4")).keyStore().open(SECRETS);
        X509Certificate cert = intermediate.certificate();
        assertThat(intermediate.chain()).containsExactly(cert, root.certificate());
        try (InputStream chainPem = Files.newInputStream(tmp.resolve("line4/chain.pem"))) {
            assertThat(List.<Certificate>copyOf(CertificateFactory.getInstance("X.509").generateCertificates(chainPem)))
                    .containsExactly(cert, root.certificate());
        }
        assertCaExtensions(cert);
        assertThat(IssuerTest.aki(cert)).isEqualTo(root.subjectKeyIdentifier());
        assertThat(cert.getIssuerX500Principal()).isEqualTo(root.certificate().getSubjectX500Principal());
        Pkix.validate(root.certificate(), List.of(), cert);
        OpenSsl.verify(tmp, root.certificate(), List.of(), cert);

        X509Certificate device = new Issuer(intermediate, CertificateProfile.defaults()).issue(new IssuanceRequest(
                SubjectName.parse("/CN=dev-2"), TestPki.KEYS.generate(KeyAlgorithm.EC_P256).getPublic())).x509();
        Pkix.validate(root.certificate(), List.of(cert), device);
        OpenSsl.verify(tmp, root.certificate(), List.of(cert), device);
    }

    @Test
    void refusesToOverwriteAnExistingCaFolder() {
        Path out = tmp.resolve("root");
        initializer.init(ROOT_NAME, KeyAlgorithm.EC_P256, Duration.ofDays(365), out, Optional.empty(), PASS);
        assertThatThrownBy(() -> initializer.init(SubjectName.parse("/CN=Another"), KeyAlgorithm.EC_P256,
                Duration.ofDays(365), out, Optional.empty(), PASS))
                .isInstanceOf(CaException.class).hasMessageContaining(out + " already holds a CA");
    }

    @Test
    void intermediateSubjectMustDifferFromItsIssuers() {
        initializer.init(ROOT_NAME, KeyAlgorithm.EC_P256, Duration.ofDays(365), tmp.resolve("root"), Optional.empty(), PASS);
        CertificateAuthority root = new CaFolder(tmp.resolve("root")).keyStore().open(SECRETS);
        assertThatThrownBy(() -> initializer.init(SubjectName.parse("CN=Acme Device Root,O=Acme,C=US"),
                KeyAlgorithm.EC_P256, Duration.ofDays(365), tmp.resolve("inter"), Optional.of(root), PASS))
                .isInstanceOf(CaException.class).hasMessageContaining("is the subject of its issuer");
        assertThat(tmp.resolve("inter")).doesNotExist();
    }

    @Test
    void validityComesFromTheCallerAndAnIntermediateEndsWithItsIssuer() {
        Instant now = Instant.parse("2026-11-24T12:00:00Z");
        CaInitializer fixed = new CaInitializer(TestPki.KEYS, Clock.fixed(now, ZoneOffset.UTC), new SerialNumbers());
        CertificateAuthority root = fixed.init(ROOT_NAME, KeyAlgorithm.EC_P256, Duration.ofDays(100), tmp.resolve("root"),
                Optional.empty(), PASS);
        assertThat(root.certificate().getNotAfter().toInstant()).isEqualTo(now.plus(100, ChronoUnit.DAYS));
        assertThat(root.certificate().getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofMinutes(5)));
        CertificateAuthority inter = fixed.init(SubjectName.parse("/CN=Inter"), KeyAlgorithm.EC_P256, Duration.ofDays(1000),
                tmp.resolve("inter"), Optional.of(root), PASS);
        assertThat(inter.certificate().getNotAfter()).isEqualTo(root.certificate().getNotAfter());
    }

    @Test
    void rsaCaSignsWithSha256WithRsa() throws Exception {
        CertificateAuthority root = initializer.init(ROOT_NAME, KeyAlgorithm.RSA_2048, Duration.ofDays(365),
                tmp.resolve("rsa"), Optional.empty(), PASS);
        assertThat(root.certificate().getSigAlgName()).isEqualToIgnoringCase("SHA256withRSA");
        OpenSsl.verify(tmp, root.certificate(), List.of(), root.certificate());
        assertThat(new CaFolder(tmp.resolve("rsa")).keyStore().open(SECRETS).signer().signatureAlgorithm()).isEqualTo("SHA256withRSA");
    }

    @Test
    void pathLengthIsWrittenWhenAsked() throws Exception {
        X509Certificate root = CaCertificateBuilder.root(ROOT_NAME, TestPki.KEYS.generate(KeyAlgorithm.EC_P256))
                .pathLength(0).build();
        assertThat(root.getBasicConstraints()).isZero();
        assertThat(OpenSsl.text(tmp, root)).containsPattern("CA:TRUE, pathlen:0");
    }

    private void assertCaExtensions(X509Certificate ca) throws Exception {
        assertThat(ca.getVersion()).isEqualTo(3);
        assertThat(ca.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE); // CA:TRUE, no path length limit
        assertThat(ca.getCriticalExtensionOIDs())
                .containsExactlyInAnyOrder(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        assertThat(ca.getKeyUsage()).startsWith(false, false, false, false, false, true, true);
        assertThat(OpenSsl.text(tmp, ca)).containsPattern("X509v3 Basic Constraints: critical\\s+CA:TRUE")
                .containsPattern("X509v3 Key Usage: critical\\s+Certificate Sign, CRL Sign");
    }
}
