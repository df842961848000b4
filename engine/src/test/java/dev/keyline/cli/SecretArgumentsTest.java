package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.Manifests;
import dev.keyline.testing.CommandOutput;

/** A secret given as an argument is refused with where that secret comes from instead. */
class SecretArgumentsTest {

    @TempDir
    Path dir;

    @Test
    void passphraseOnCaInitPointsToThePassphraseFileAndTheEnvironment() {
        CommandOutput result = CommandOutput.run("ca", "init", "--subject", "CN=Acme Device CA", "--out",
                dir.resolve("ca").toString(), "--passphrase", "hunter2");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("secrets never come from arguments")
                .contains("--passphrase-file FILE or $KEYLINE_CA_PASSPHRASE");
        assertThat(dir.resolve("ca")).doesNotExist();
    }

    @Test
    void passphraseOnRunPointsToTheCaPassphraseOnly() throws Exception {
        CommandOutput result = CommandOutput.run("run", Manifests.devices(dir, 1).toString(), "--ca",
                dir.resolve("ca").toString(), "--out", dir.resolve("out").toString(), "--passphrase=hunter2");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--passphrase-file FILE or $KEYLINE_CA_PASSPHRASE")
                .doesNotContain("--bundle-passphrase-file");
    }

    @Test
    void pinAndPasswordPointToWhereTheyComeFrom() throws Exception {
        Path manifest = Manifests.devices(dir, 1);
        CommandOutput pin = CommandOutput.run("run", manifest.toString(), "--ca", dir.resolve("ca").toString(),
                "--out", dir.resolve("out").toString(), "--keys", "hsm", "--pin", "1234");
        assertThat(pin.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(pin.err()).contains("pin-file in the --hsm file, or $KEYLINE_HSM_PIN");

        CommandOutput password = CommandOutput.run("status", "--out", dir.toString(), "--db-password", "s3cret");
        assertThat(password.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(password.err()).contains("$KEYLINE_DB_PASSWORD");
    }

    @Test
    void aPassphraseForACommandWithAnotherPassphrasePointsToThatOne() {
        CommandOutput result = CommandOutput.run("keypool", "fill", "--pool", dir.resolve("pool").toString(), "--key",
                "rsa-2048", "--count", "1", "--passphrase", "hunter2");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--pool-passphrase-file FILE or $KEYLINE_POOL_PASSPHRASE");
    }

    @Test
    void anUnknownOptionThatIsNoSecretGetsNoSuchHint() {
        CommandOutput result = CommandOutput.run("ca", "init", "--subject", "CN=Acme Device CA", "--out",
                dir.resolve("ca").toString(), "--colour", "blue");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--colour").doesNotContain("secrets never come from arguments");
    }
}
