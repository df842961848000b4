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
    void aCodeThatIsNotWhatGetRegistrationCodeAnswersIsRefused() {
        CertificateAuthority ca = TestPki.root("/CN=Code Root", KeyAlgorithm.EC_P256);

        assertThatThrownBy(() -> VerificationCertificates.issue(ca, "CN=evil", Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hexadecimal");
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
