package dev.keyline.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.keyline.bundle.Pem;
import dev.keyline.ca.CaException;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.testing.IndependentVerifier;

class VerificationCertificatesTest {

    private static final String CODE = HexFormat.of().formatHex(new byte[32]).replace("00", "a7");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "EC_P384", "RSA_2048"})
    void itsOnlyCnIsTheRegistrationCodeAndTheCaKeySignedIt(KeyAlgorithm algorithm) throws Exception {
        CertificateAuthority ca = TestPki.root("/O=Keyline Test/CN=Verification Root " + algorithm, algorithm);

        X509Certificate verification = VerificationCertificates.issue(ca, CODE, Clock.systemUTC());

        assertThat(verification.getSubjectX500Principal().getName()).isEqualTo("CN=" + CODE);
        assertThat(verification.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        // Checked by verifiers that share no code with Keyline: the JDK's PKIX validator and openssl verify.
        IndependentVerifier.validateWithJdk(verification, List.of(), ca.certificate());
        Path caPem = Files.write(tmp.resolve("ca.pem"), Pem.certificates(List.of(ca.certificate())));
        Path pem = Files.write(tmp.resolve("verification-" + algorithm + ".pem"), Pem.certificates(List.of(verification)));
        IndependentVerifier.verifyWithOpenSsl(caPem, null, List.of(pem));
    }

    @Test
    void anyPrintableCodeThatFitsInACnIsTheWholeCnEvenWithNameSyntaxInIt() throws Exception {
        CertificateAuthority ca = TestPki.root("/CN=Code Root", KeyAlgorithm.EC_P256);

        for (String code : List.of("3f9a1c2e-6b7d-4e1f-9a0b-2c3d4e5f6a7b", "CN=evil,O=x+OU=y", "x".repeat(64))) {
            X509Certificate verification = VerificationCertificates.issue(ca, code, Clock.systemUTC());
            org.bouncycastle.asn1.x500.X500Name subject = org.bouncycastle.asn1.x500.X500Name.getInstance(
                    verification.getSubjectX500Principal().getEncoded());
            assertThat(subject.getRDNs()).as("one RDN, the CN").hasSize(1);
            assertThat(subject.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN)[0].getFirst().getValue().toString()).isEqualTo(code);
            IndependentVerifier.validateWithJdk(verification, List.of(), ca.certificate());
        }
    }

    @Test
    void aCodeThatCannotBeACnIsRefusedWithItsValueShown() {
        CertificateAuthority ca = TestPki.root("/CN=Code Root", KeyAlgorithm.EC_P256);

        assertThatThrownBy(() -> VerificationCertificates.issue(ca, "a".repeat(65), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"" + "a".repeat(65) + "\"")
                .hasMessageContaining("it has 65 characters and a CN holds at most 64");
        assertThatThrownBy(() -> VerificationCertificates.issue(ca, "abc\u001b[2Jdef", Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"abc\u001b[2Jdef\"") // raw: the console escapes it (CaRegisterCommandTest)
                .hasMessageContaining("not printable");
        assertThatThrownBy(() -> VerificationCertificates.issue(ca, "  ", Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("it is empty");
    }

    @Test
    void theLocalCheckRefusesAnotherCnAndAnotherKey() {
        CertificateAuthority ca = TestPki.root("/CN=Check Root", KeyAlgorithm.EC_P256);
        CertificateAuthority other = TestPki.root("/CN=Other Root", KeyAlgorithm.EC_P256);
        X509Certificate verification = VerificationCertificates.issue(ca, CODE, Clock.systemUTC());

        assertThatThrownBy(() -> VerificationCertificates.check(verification, "b".repeat(64), ca.certificate()))
                .isInstanceOf(CaException.class).hasMessageContaining("not CN=" + "b".repeat(64)).hasMessageContaining("nothing was sent");
        assertThatThrownBy(() -> VerificationCertificates.check(verification, CODE, other.certificate()))
                .isInstanceOf(CaException.class).hasMessageContaining("does not verify with the public key");
    }
}
