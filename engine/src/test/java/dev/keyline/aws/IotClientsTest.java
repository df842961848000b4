package dev.keyline.aws;

import static dev.keyline.aws.EmulatorFixture.ACCOUNT_A;
import static dev.keyline.aws.EmulatorFixture.ACCOUNT_B;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.aws.emulator.IotEmulator;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.services.iot.IotClient;

/** Credentials as targets name them, resolved against the emulator: a named profile and an STS-assumed role. */
class IotClientsTest {

    private static final TestIdentities PKI = new TestIdentities("/O=Keyline Test/CN=Clients Test CA");

    @TempDir
    Path tmp;

    private IotClients clients(Path credentialsFile) {
        ProfileFile profiles = ProfileFile.builder().content(credentialsFile).type(ProfileFile.Type.CREDENTIALS).build();
        return new IotClients(new IotClients.Settings(4, Duration.ofSeconds(2), Duration.ofSeconds(10), () -> profiles));
    }

    private Path credentials() throws Exception {
        return Files.writeString(tmp.resolve("credentials"), """
                [factory-b]
                aws_access_key_id = %s
                aws_secret_access_key = emulator-secret
                [factory-a]
                aws_access_key_id = %s
                aws_secret_access_key = emulator-secret
                """.formatted(EmulatorFixture.KEY_B, EmulatorFixture.KEY_A));
    }

    @Test
    void namedProfileActsInItsAccount() throws Exception {
        try (IotEmulator emulator = EmulatorFixture.emulator().start(); IotClients clients = clients(credentials())) {
            RegistrationTarget target = EmulatorFixture.target("b", emulator.endpoint()).credentials(TargetCredentials.profile("factory-b")).build();
            IotClient iot = clients.client(target);

            var registered = iot.registerCertificateWithoutCA(r -> r.certificatePem(PKI.device("prof").certificatePem()));

            assertThat(registered.certificateArn()).contains(":" + ACCOUNT_B + ":cert/");
            assertThat(emulator.certificateCount(ACCOUNT_B)).isEqualTo(1);
        }
    }

    @Test
    void assumedRoleActsInTheRolesAccount() throws Exception {
        String role = "arn:aws:iam::" + ACCOUNT_B + ":role/keyline-registrar";
        try (IotEmulator emulator = EmulatorFixture.emulator().assumableRole(role).start(); IotClients clients = clients(credentials())) {
            RegistrationTarget target = EmulatorFixture.target("b", emulator.endpoint())
                    .credentials(new TargetCredentials.AssumeRole(role, java.util.Optional.of("factory-a"))).build();
            IotClient iot = clients.client(target);

            var registered = iot.registerCertificateWithoutCA(r -> r.certificatePem(PKI.device("role").certificatePem()));

            assertThat(registered.certificateArn()).contains(":" + ACCOUNT_B + ":cert/");
            assertThat(emulator.certificateCount(ACCOUNT_A)).isZero();
            assertThat(emulator.requests().total("AssumeRole")).isEqualTo(1);
        }
    }

    @Test
    void missingProfileFailsOnTheFirstCallNamingIt() throws Exception {
        try (IotEmulator emulator = EmulatorFixture.emulator().start(); IotClients clients = clients(credentials())) {
            RegistrationTarget target = EmulatorFixture.target("x", emulator.endpoint()).credentials(TargetCredentials.profile("nope")).build();
            IotClient iot = clients.client(target);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> iot.getRegistrationCode(r -> { }))
                    .isInstanceOf(SdkClientException.class).hasMessageContaining("nope");
            assertThat(emulator.requests().operations()).isEmpty();
        }
    }
}
