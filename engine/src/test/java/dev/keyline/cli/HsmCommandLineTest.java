package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.hsm.testing.SoftHsm;
import dev.keyline.testing.IndependentVerifier;

/** {@code keyline ca init --hsm} then {@code keyline run --ca DIR}, end to end, with the PIN from a pin-file only. */
@Tag("full")
class HsmCommandLineTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void softHsm() {
        SoftHsm.get();
    }

    @Test
    void caInitInTheTokenThenRunNeedsOnlyThePin() throws Exception {
        Path hsm = SoftHsm.writeConfig(dir, "cli-hsm", "token-label: " + SoftHsm.TOKEN, SoftHsm.USER_PIN);
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--hsm", hsm.toString(), "--key-label", "cli-ca",
                "--subject", "CN=CLI HSM CA,O=Acme,C=US", "--key", "ec-p256", "--out", ca.toString())).isZero();
        assertThat(ca.resolve("ca.p12")).doesNotExist();

        Path manifest = dir.resolve("devices.csv");
        StringBuilder csv = new StringBuilder("device_id,organization,country\n");
        for (int i = 0; i < 40; i++) {
            csv.append("hsm-dev-").append(i).append(",Acme,US\n");
        }
        Files.writeString(manifest, csv);
        Path out = dir.resolve("run");
        // no CA passphrase anywhere: the CA folder names the HSM configuration, whose pin-file gives the PIN
        assertThat(Keyline.execute("run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(),
                "--threads", "2", "--no-progress")).isZero();

        List<Path> certificates;
        try (Stream<Path> files = Files.walk(out.resolve("bundles"))) {
            certificates = files.filter(p -> p.getFileName().toString().equals("device.crt.pem")).sorted().toList();
        }
        assertThat(certificates).hasSize(40);
        IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, certificates);
        for (Path certificate : certificates) {
            IndependentVerifier.validateWithJdk(IndependentVerifier.readCertificate(certificate), List.of(),
                    IndependentVerifier.readCertificate(ca.resolve("ca.crt.pem")));
        }
    }

    @Test
    void aWrongPinStopsCaInitWithExitCodeTwoAndTheReason() throws Exception {
        Path hsm = SoftHsm.writeConfig(dir, "cli-wrong", "token-label: " + SoftHsm.OTHER_TOKEN, "0000-wrong");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = Keyline.execute("ca", "init", "--hsm", hsm.toString(), "--subject", "CN=Nope", "--out",
                    dir.resolve("nope").toString());
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refused the user PIN").doesNotContain("0000-wrong");
        assertThat(dir.resolve("nope")).doesNotExist();
    }
}
