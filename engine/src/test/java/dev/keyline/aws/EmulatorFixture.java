package dev.keyline.aws;

import java.net.URI;
import java.time.Duration;

import dev.keyline.aws.emulator.IotEmulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.services.iot.IotClient;

/** Three accounts in one emulator (most tests use two), and clients for them with static keys: no credential chain, no IMDS. */
final class EmulatorFixture {

    static final String REGION = "eu-west-1";
    static final String ACCOUNT_A = "111111111111";
    static final String ACCOUNT_B = "222222222222";
    static final String KEY_A = "AKIAEMULATORAAAAAAAA";
    static final String KEY_B = "AKIAEMULATORBBBBBBBB";
    static final String ACCOUNT_C = "333333333333";
    static final String KEY_C = "AKIAEMULATORCCCCCCCC";
    static final String POLICY = "keyline-device";
    static final String THING_TYPE = "sensor";

    static {
        // Belt and braces: nothing in these tests may reach the instance metadata service.
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    private EmulatorFixture() {
    }

    static IotEmulator.Builder emulator() {
        return IotEmulator.builder().region(REGION)
                .account(KEY_A, ACCOUNT_A).account(KEY_B, ACCOUNT_B).account(KEY_C, ACCOUNT_C)
                .policy(ACCOUNT_A, POLICY).policy(ACCOUNT_B, POLICY)
                .thingType(ACCOUNT_A, THING_TYPE).thingType(ACCOUNT_B, THING_TYPE);
    }

    static StaticCredentialsProvider keys(String accessKeyId) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "emulator-secret"));
    }

    static IotClients clients() {
        return new IotClients(new IotClients.Settings(32, Duration.ofSeconds(2), Duration.ofSeconds(10), ProfileFile::defaultProfileFile));
    }

    static RegistrationTarget.Builder target(String name, URI endpoint) {
        return RegistrationTarget.builder(name, REGION).endpoint(endpoint);
    }

    static IotClient client(IotClients clients, IotEmulator emulator, String accessKeyId) {
        return clients.client(target("raw", emulator.endpoint()).build(), keys(accessKeyId));
    }
}
