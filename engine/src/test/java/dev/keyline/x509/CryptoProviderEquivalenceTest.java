package dev.keyline.x509;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.keyline.ca.CertificateAuthority;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.testing.IndependentVerifier;

/**
 * Whichever provider makes the key and the signature, the certificate has the same structure: same
 * algorithm identifiers, names, extensions (by OID, criticality and, where key-independent, value) and
 * public-key encoding. Checked field by field and by independent verifiers.
 */
class CryptoProviderEquivalenceTest {

    @TempDir
    Path dir;

    @Test
    void accpLoadsOnThisMachineSoAutoPicksIt() {
        // Keyline's CI and development machines are linux-x86_64, where ACCP ships its native library.
        assertThat(CryptoProvider.AUTO.resolved()).isEqualTo(CryptoProvider.ACCP);
        assertThat(CryptoProvider.ACCP.describe()).startsWith("accp ");
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "EC_P384", "RSA_2048"})
    void certificatesFromEveryProviderHaveTheSameStructure(KeyAlgorithm algorithm) throws Exception {
        CertificateAuthority bcCa = TestPki.root("CN=Equivalence CA,O=Acme,C=US", algorithm);
        List<Certificate> made = new ArrayList<>();
        List<Path> pems = new ArrayList<>();
        for (CryptoProvider provider : List.of(CryptoProvider.BC, CryptoProvider.ACCP, CryptoProvider.JDK)) {
            CertificateAuthority ca = bcCa.withProvider(provider);
            SoftwareKeySource keys = new SoftwareKeySource(provider);
            IssuedCertificate issued = new Issuer(ca, CertificateProfile.defaults()).issue(new IssuanceRequest(
                    SubjectName.parse("/C=US/O=Acme/CN=device-1"), SubjectAltNames.ofDns("device-1.example"),
                    keys.generate(algorithm).getPublic()));
            IndependentVerifier.validateWithJdk(issued.x509(), List.of(), bcCa.certificate());
            Path pem = dir.resolve(provider.id() + ".pem");
            Files.writeString(pem, toPem(issued.x509()));
            pems.add(pem);
            made.add(Certificate.getInstance(issued.der()));
        }
        Path caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, toPem(bcCa.certificate()));
        IndependentVerifier.verifyWithOpenSsl(caPem, null, pems);

        TBSCertificate reference = made.get(0).getTBSCertificate();
        for (Certificate other : made.subList(1, made.size())) {
            TBSCertificate tbs = other.getTBSCertificate();
            assertThat(other.getSignatureAlgorithm().getEncoded()).isEqualTo(made.get(0).getSignatureAlgorithm().getEncoded());
            assertThat(tbs.getSignature().getEncoded()).isEqualTo(reference.getSignature().getEncoded());
            assertThat(tbs.getVersionNumber()).isEqualTo(reference.getVersionNumber());
            assertThat(tbs.getIssuer().getEncoded()).isEqualTo(reference.getIssuer().getEncoded());
            assertThat(tbs.getSubject().getEncoded()).isEqualTo(reference.getSubject().getEncoded());
            assertThat(tbs.getSubjectPublicKeyInfo().getAlgorithm().getEncoded())
                    .isEqualTo(reference.getSubjectPublicKeyInfo().getAlgorithm().getEncoded());
            assertThat(tbs.getSubjectPublicKeyInfo().getPublicKeyData().getBytes().length)
                    .isEqualTo(reference.getSubjectPublicKeyInfo().getPublicKeyData().getBytes().length);
            assertSameExtensions(tbs.getExtensions(), reference.getExtensions());
        }
    }

    private static void assertSameExtensions(Extensions actual, Extensions expected) {
        assertThat(actual.getExtensionOIDs()).containsExactly(expected.getExtensionOIDs());
        for (ASN1ObjectIdentifier oid : expected.getExtensionOIDs()) {
            Extension a = actual.getExtension(oid);
            Extension e = expected.getExtension(oid);
            assertThat(a.isCritical()).as(oid.getId()).isEqualTo(e.isCritical());
            if (!oid.equals(Extension.subjectKeyIdentifier)) {
                assertThat(a.getExtnValue().getOctets()).as(oid.getId()).isEqualTo(e.getExtnValue().getOctets());
            }
        }
    }

    private static String toPem(X509Certificate cert) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    @Test
    void anUnknownProviderNameIsAConfigurationError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CryptoProvider.fromId("openssl"))
                .isInstanceOfSatisfying(dev.keyline.error.UnknownChoiceException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.kind())
                                .isEqualTo(dev.keyline.error.KeylineException.Kind.CONFIGURATION))
                .hasMessageContaining("\"openssl\"").hasMessageContaining("auto, accp, bc, jdk");
    }
}
