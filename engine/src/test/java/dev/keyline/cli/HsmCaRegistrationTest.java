package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.aws.EmulatorTargets;
import dev.keyline.aws.emulator.IotEmulator;
import dev.keyline.hsm.testing.SoftHsm;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.x509.IssuedCertificate;
import dev.keyline.testing.CommandOutput;

/**
 * DEFAULT-mode CA registration with the CA key in SoftHSM: the verification certificate is signed in the token
 * (the key is not extractable), with only the PIN from the HSM configuration's pin-file, and AWS (the emulator) takes it.
 */
@Tag("full")
class HsmCaRegistrationTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void softHsm() {
        SoftHsm.get();
    }

    @Test
    void defaultRegistrationOfAnHsmCaSignsTheVerificationCertificateInTheToken() throws Exception {
        EmulatorTargets.useCredentials(dir);
        Path hsm = SoftHsm.writeConfig(dir, "ca-registration-hsm", "token-label: " + SoftHsm.TOKEN, SoftHsm.USER_PIN);
        Path ca = dir.resolve("hsm-ca");
        assertThat(Keyline.execute("ca", "init", "--hsm", hsm.toString(), "--key-label", "ca-registration",
                "--subject", "CN=HSM Registration CA,O=Acme,C=US", "--key", "ec-p384", "--out", ca.toString())).isZero();
        assertThat(ca.resolve("ca.p12")).doesNotExist();
        X509Certificate caCertificate = IndependentVerifier.readCertificate(ca.resolve("ca.crt.pem"));
        String caId = IssuedCertificate.certificateId(caCertificate.getEncoded());

        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = Files.writeString(dir.resolve("targets.yaml"), """
                    keyline:
                      targets:
                        owner:
                          region: %s
                          profile: %s
                          endpoint: %s
                          ca-mode: DEFAULT
                    """.formatted(EmulatorTargets.REGION, EmulatorTargets.PROFILE_A, emulator.endpoint()));

            // No passphrase anywhere: the CA folder names the HSM configuration, whose pin-file gives the PIN.
            CommandOutput register = CommandOutput.run("ca", "register", "--ca", ca.toString(), "--config", targets.toString(),
                    "--target", "owner");

            assertThat(register.exitCode()).as(register.err()).isZero();
            String code = emulator.registrationCode(EmulatorTargets.ACCOUNT_A, EmulatorTargets.REGION);
            assertThat(register.out()).contains("registered as DEFAULT, ACTIVE")
                    .contains("verification certificate CN=" + code + ", signed by HsmCaSigner[SHA384withECDSA, key \"ca-registration\"");
            var state = emulator.caCertificate(EmulatorTargets.ACCOUNT_A, EmulatorTargets.REGION, caId).orElseThrow();
            assertThat(state.mode()).isEqualTo("DEFAULT");
            Path verification = Files.writeString(dir.resolve("verification.pem"), state.verificationCertificatePem().orElseThrow());
            X509Certificate certificate = IndependentVerifier.readCertificate(verification);
            assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=" + code);
            IndependentVerifier.validateWithJdk(certificate, List.of(), caCertificate);
            IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, List.of(verification));
            assertThat(register.out() + register.err()).doesNotContain(SoftHsm.USER_PIN);
        }
    }
}
