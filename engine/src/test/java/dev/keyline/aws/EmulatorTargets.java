package dev.keyline.aws;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.keyline.aws.emulator.IotEmulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateMode;

/**
 * For tests that drive registration through the CLI: emulator accounts A, B and C reached through named profiles of a
 * credentials file in a temporary folder (never ~/.aws, never IMDS), and CA registration through the real SDK.
 */
public final class EmulatorTargets {

    public static final String REGION = EmulatorFixture.REGION;
    public static final String ACCOUNT_A = EmulatorFixture.ACCOUNT_A;
    public static final String ACCOUNT_B = EmulatorFixture.ACCOUNT_B;
    public static final String PROFILE_A = "emulator-a";
    public static final String PROFILE_B = "emulator-b";
    public static final String ACCOUNT_C = EmulatorFixture.ACCOUNT_C;
    public static final String PROFILE_C = "emulator-c";
    public static final String POLICY = EmulatorFixture.POLICY;
    public static final String THING_TYPE = EmulatorFixture.THING_TYPE;
    private static final String SECRET = "emulator-secret";

    private EmulatorTargets() {
    }

    /** An emulator with accounts A, B and C; the policy and the thing type in A and B. */
    public static IotEmulator.Builder emulator() {
        return EmulatorFixture.emulator();
    }

    /**
     * Writes a credentials file with profiles {@link #PROFILE_A}, {@link #PROFILE_B} and {@link #PROFILE_C} and an empty
     * config file.
     *
     * @return JVM options that make the SDK read only these, and never ask the instance metadata service
     */
    public static List<String> credentials(Path dir) throws IOException {
        Path credentials = dir.resolve("aws-credentials");
        Files.writeString(credentials, "[" + PROFILE_A + "]\naws_access_key_id = " + EmulatorFixture.KEY_A
                + "\naws_secret_access_key = " + SECRET + "\n[" + PROFILE_B + "]\naws_access_key_id = "
                + EmulatorFixture.KEY_B + "\naws_secret_access_key = " + SECRET + "\n[" + PROFILE_C + "]\naws_access_key_id = "
                + EmulatorFixture.KEY_C + "\naws_secret_access_key = " + SECRET + "\n");
        Path config = Files.writeString(dir.resolve("aws-config"), "");
        return List.of("aws.sharedCredentialsFile=" + credentials, "aws.configFile=" + config, "aws.disableEc2Metadata=true");
    }

    /** Sets {@link #credentials(Path)}'s options in this JVM. */
    public static void useCredentials(Path dir) throws IOException {
        for (String option : credentials(dir)) {
            int eq = option.indexOf('=');
            System.setProperty(option.substring(0, eq), option.substring(eq + 1));
        }
    }

    /** Registers the CA in account A as SNI_ONLY and ACTIVE, as an operator would before with-ca registration. */
    public static void registerCaInAccountA(IotEmulator emulator, String caPem) {
        try (IotClients clients = new IotClients(new IotClients.Settings(2, Duration.ofSeconds(2), Duration.ofSeconds(10),
                ProfileFile::defaultProfileFile))) {
            IotClient iot = clients.client(RegistrationTarget.builder("setup", REGION).endpoint(emulator.endpoint()).build(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(EmulatorFixture.KEY_A, SECRET)));
            iot.registerCACertificate(r -> r.caCertificate(caPem).certificateMode(CertificateMode.SNI_ONLY).setAsActive(true));
        }
    }

    /** Creates a thing in account A (a thing someone else made), with the given attributes and no type. */
    public static void createThingInAccountA(IotEmulator emulator, String thingName, java.util.Map<String, String> attributes) {
        try (IotClients clients = new IotClients(new IotClients.Settings(2, Duration.ofSeconds(2), Duration.ofSeconds(10),
                ProfileFile::defaultProfileFile))) {
            IotClient iot = clients.client(RegistrationTarget.builder("setup", REGION).endpoint(emulator.endpoint()).build(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(EmulatorFixture.KEY_A, SECRET)));
            iot.createThing(r -> r.thingName(thingName).attributePayload(a -> a.attributes(attributes)));
        }
    }

    /** Creates a static thing group in account A, as an operator would with the AWS CLI. */
    public static void createThingGroupInAccountA(IotEmulator emulator, String groupName) {
        try (IotClients clients = new IotClients(new IotClients.Settings(2, Duration.ofSeconds(2), Duration.ofSeconds(10),
                ProfileFile::defaultProfileFile))) {
            IotClient iot = clients.client(RegistrationTarget.builder("setup", REGION).endpoint(emulator.endpoint()).build(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(EmulatorFixture.KEY_A, SECRET)));
            iot.createThingGroup(r -> r.thingGroupName(groupName));
        }
    }

    /**
     * Someone else's device in account A: a thing with a certificate of another CA attached, ACTIVE and holding the
     * policy, as the account's other tooling leaves it. Returns the certificate's ARN.
     */
    public static String createForeignDeviceInAccountA(IotEmulator emulator, String thingName) {
        DeviceIdentity foreign = new TestIdentities("/O=Someone Else/CN=Foreign CA").device(thingName);
        try (IotClients clients = new IotClients(new IotClients.Settings(2, Duration.ofSeconds(2), Duration.ofSeconds(10),
                ProfileFile::defaultProfileFile))) {
            IotClient iot = clients.client(RegistrationTarget.builder("setup", REGION).endpoint(emulator.endpoint()).build(),
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(EmulatorFixture.KEY_A, SECRET)));
            String arn = iot.registerCertificateWithoutCA(r -> r.certificatePem(foreign.certificatePem()).status("ACTIVE"))
                    .certificateArn();
            iot.createThing(r -> r.thingName(thingName));
            iot.attachThingPrincipal(r -> r.thingName(thingName).principal(arn));
            iot.attachPolicy(r -> r.policyName(POLICY).target(arn));
            return arn;
        }
    }

    public static URI endpoint(IotEmulator emulator) {
        return emulator.endpoint();
    }
}
