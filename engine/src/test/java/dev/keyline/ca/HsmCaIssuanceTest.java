package dev.keyline.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.bundle.Pem;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.CaSecrets;
import dev.keyline.ca.store.HsmCaSigner;
import dev.keyline.hsm.KeyAttributes;
import dev.keyline.hsm.testing.SoftHsm;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.IssuanceRequest;
import dev.keyline.x509.Issuer;
import dev.keyline.x509.SubjectName;
import dev.keyline.x509.TokenCaInitializer;

/** A CA whose key lives in SoftHSM: made by TokenCaInitializer, reopened from its folder, issuing through Issuer. */
@Tag("full")
class HsmCaIssuanceTest {

    @TempDir
    static Path dir;
    static Path hsmConfig;
    static CertificateAuthority made;
    static Path caDir;

    @BeforeAll
    static void createCa() throws Exception {
        SoftHsm.get();
        hsmConfig = SoftHsm.writeConfig(dir, "hsm", "token-label: " + SoftHsm.TOKEN, SoftHsm.USER_PIN);
        caDir = dir.resolve("ca");
        made = new TokenCaInitializer().init(SubjectName.parse("CN=HSM Device CA,O=Acme,C=US"), KeyAlgorithm.EC_P256,
                Duration.ofDays(365), caDir, Optional.empty(), hsmConfig, "issuance-ca", Map.of());
    }

    @AfterAll
    static void close() {
        ((HsmCaSigner) made.signer()).close();
    }

    /** The CA of the folder, opened as a run opens it; a token CA must not ask for a passphrase. */
    private static CertificateAuthority openCa(Path folder) {
        return new CaFolder(folder).keyStore().open(new CaSecrets(() -> fail("a token CA asked for the CA passphrase"),
                Map.of()));
    }

    @Test
    void theCaKeyIsSensitiveAndNotExtractableAsTheTokenReportsIt() {
        HsmCaSigner signer = (HsmCaSigner) openCa(caDir).signer();
        assertThat(signer.token().requireKey("issuance-ca").attributes()).isEqualTo(new KeyAttributes(true, true, false));
        String objects = SoftHsm.pkcs11Tool(SoftHsm.TOKEN, "--list-objects", "--type", "privkey", "--label", "issuance-ca");
        assertThat(objects).containsPattern("Access: +sensitive, always sensitive, never extractable");
    }

    @Test
    void theCaFolderRecordsTheHsmConfigurationAndLabelButNeitherKeyNorPin() throws Exception {
        String properties = Files.readString(caDir.resolve(CaFolder.PROPERTIES_FILE));
        assertThat(properties).contains("key.store=pkcs11").contains("hsm.config=" + hsmConfig.toAbsolutePath())
                .contains("key.label=issuance-ca").doesNotContain(SoftHsm.USER_PIN);
        assertThat(caDir.resolve(CaFolder.KEY_STORE_FILE)).doesNotExist();
        try (var files = Files.walk(caDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).doesNotContain(SoftHsm.USER_PIN);
            }
        }
    }

    @Test
    void issuesAThousandDeviceCertificatesOnTwoThreadsThatTheJdkAndOpensslAccept() throws Exception {
        CertificateAuthority ca = openCa(caDir);
        Issuer issuer = new Issuer(ca, CertificateProfile.defaults());
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair deviceKey = generator.generateKeyPair(); // one device key: the CA signature is what is tested
        int devices = 1000;
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Future<X509Certificate>> issued = new ArrayList<>();
        try {
            for (int i = 0; i < devices; i++) {
                SubjectName subject = SubjectName.parse("CN=hsm-dev-" + i + ",O=Acme,C=US");
                issued.add(threads.submit(() -> issuer.issue(new IssuanceRequest(subject, deviceKey.getPublic())).x509()));
            }
            Path certs = Files.createDirectories(dir.resolve("issued"));
            List<Path> pems = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                X509Certificate certificate = issued.get(i).get();
                IndependentVerifier.validateWithJdk(certificate, List.of(), ca.certificate());
                Path pem = certs.resolve("dev-" + i + ".pem");
                Files.write(pem, Pem.certificates(List.of(certificate)));
                pems.add(pem);
            }
            for (int from = 0; from < devices; from += 250) { // keep each openssl command line short
                IndependentVerifier.verifyWithOpenSsl(caDir.resolve(CaFolder.CERTIFICATE_FILE), null, pems.subList(from, from + 250));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void anIntermediateInTheTokenIsSignedByTheTokenRoot() throws Exception {
        CertificateAuthority root = openCa(caDir);
        Path intermediateDir = dir.resolve("intermediate");
        CertificateAuthority intermediate = new TokenCaInitializer().init(SubjectName.parse("CN=HSM Issuing CA,O=Acme,C=US"),
                KeyAlgorithm.EC_P384, Duration.ofDays(100), intermediateDir, Optional.of(root), hsmConfig, "issuance-sub", Map.of());
        assertThat(intermediate.chain()).hasSize(2);
        IndependentVerifier.validateWithJdk(intermediate.certificate(), List.of(), root.certificate());
        IndependentVerifier.verifyWithOpenSsl(caDir.resolve(CaFolder.CERTIFICATE_FILE), null,
                List.of(intermediateDir.resolve(CaFolder.CERTIFICATE_FILE)));
        assertThat(intermediate.signer().signatureAlgorithm()).isEqualTo("SHA384withECDSA");
    }

    @Test
    void aSecondKeyUnderAnExistingLabelIsRefused() {
        assertThatThrownBy(() -> new TokenCaInitializer().init(SubjectName.parse("CN=Again,O=Acme,C=US"), KeyAlgorithm.EC_P256,
                Duration.ofDays(1), dir.resolve("again"), Optional.empty(), hsmConfig, "issuance-ca", Map.of()))
                .isInstanceOf(CaException.class).hasMessageContaining("already holds a key under the label \"issuance-ca\"");
    }

    @Test
    void theKeyIdIsTheLabelSoKeyAndCertificateStayLinked() {
        String objects = SoftHsm.pkcs11Tool(SoftHsm.TOKEN, "--list-objects", "--type", "cert", "--label", "issuance-ca");
        assertThat(objects).contains("ID:         " + HexFormat.of().formatHex("issuance-ca".getBytes(StandardCharsets.UTF_8)));
    }
}
