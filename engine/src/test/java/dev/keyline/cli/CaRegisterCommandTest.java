package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.aws.EmulatorTargets;
import dev.keyline.aws.emulator.Faults;
import dev.keyline.aws.emulator.IotEmulator;
import dev.keyline.bundle.Pem;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.CaSecrets;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.IssuanceRequest;
import dev.keyline.x509.IssuedCertificate;
import dev.keyline.x509.Issuer;
import dev.keyline.x509.SubjectName;
import dev.keyline.testing.CommandOutput;
import dev.keyline.job.RegistrationTargets;

/** {@code keyline ca plan / register / describe} through the real CLI and the real SDK, against the IoT emulator over HTTP. */
class CaRegisterCommandTest {

    private static final String EU = EmulatorTargets.REGION;
    private static final String US = "us-east-1";
    private static final String A = EmulatorTargets.ACCOUNT_A;
    private static final String B = EmulatorTargets.ACCOUNT_B;
    private static final String C = EmulatorTargets.ACCOUNT_C;
    private static final String STAGING_ROLE = "arn:aws:iam::" + B + ":role/keyline-staging";
    /** Operations that change something in AWS. */
    private static final List<String> WRITES = List.of("GetRegistrationCode", "DeleteRegistrationCode", "RegisterCACertificate",
            "UpdateCACertificate", "DeleteCACertificate", "RegisterCertificate");
    private static final String JITP = """
            {"Parameters": {"AWS::IoT::Certificate::CommonName": {"Type": "String"},
                            "AWS::IoT::Certificate::Id": {"Type": "String"}},
             "Resources": {
               "thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "AWS::IoT::Certificate::CommonName"}}},
               "certificate": {"Type": "AWS::IoT::Certificate", "Properties": {
                   "CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "ACTIVE"}}}}
            """;

    @TempDir
    Path dir;
    RegistrationScenario scenario;
    String caId;

    @BeforeEach
    void setUp() throws Exception {
        scenario = new RegistrationScenario(dir);
        caId = IssuedCertificate.certificateId(caCertificate().getEncoded());
        Files.writeString(dir.resolve("jitp.json"), JITP);
    }

    private X509Certificate caCertificate() {
        return IndependentVerifier.readCertificate(scenario.ca.resolve("ca.crt.pem"));
    }

    /** Three accounts in two regions: dev (A, by STS), staging (B, by role-arn), prod (C, by account-id), in eu and us. */
    private Path threeAccountsTwoRegions(IotEmulator emulator) throws Exception {
        return Files.writeString(dir.resolve("targets.yaml"), """
                keyline:
                  targets:
                    dev:
                      region: %1$s
                      profile: %3$s
                      endpoint: %5$s
                    staging:
                      region: %1$s
                      profile: %3$s
                      role-arn: %6$s
                      endpoint: %5$s
                      ca-mode: SNI_ONLY
                    prod:
                      region: %1$s
                      account-id: "%7$s"
                      profile: %4$s
                      endpoint: %5$s
                      ca-mode: DEFAULT
                      jitp-template: jitp.json
                      jitp-role-arn: arn:aws:iam::%7$s:role/keyline-jitp
                    dev-us:
                      region: %2$s
                      profile: %3$s
                      endpoint: %5$s
                    prod-us:
                      region: %2$s
                      account-id: "%7$s"
                      profile: %4$s
                      endpoint: %5$s
                      ca-mode: DEFAULT
                """.formatted(EU, US, EmulatorTargets.PROFILE_A, EmulatorTargets.PROFILE_C, emulator.endpoint(), STAGING_ROLE, C));
    }

    /** Target a: account A (profile), target b: account B (profile), both in eu-west-1, with the given extra keys. */
    private Path twoTargets(IotEmulator emulator, String extraA, String extraB) throws Exception {
        return Files.writeString(dir.resolve("targets-ab.yaml"), """
                keyline:
                  targets:
                    a:
                      region: %1$s
                      profile: %2$s
                      endpoint: %4$s
                %5$s
                    b:
                      region: %1$s
                      profile: %3$s
                      endpoint: %4$s
                %6$s
                """.formatted(EU, EmulatorTargets.PROFILE_A, EmulatorTargets.PROFILE_B, emulator.endpoint(),
                indent(extraA), indent(extraB)));
    }

    private static String indent(String keys) {
        return keys.lines().map(l -> "      " + l).reduce((x, y) -> x + "\n" + y).orElse("");
    }

    private static Map<String, Long> writes(IotEmulator emulator) {
        Map<String, Long> counts = new TreeMap<>();
        WRITES.forEach(op -> counts.put(op, emulator.requests().total(op)));
        return counts;
    }

    private String[] args(String... args) {
        return args;
    }

    /** The verification certificate AWS received: CN = the account's code, and it chains to the CA (JDK and openssl). */
    private void verifyVerificationCertificate(IotEmulator emulator, String account, String region) throws Exception {
        String pem = emulator.caCertificate(account, region, caId).orElseThrow().verificationCertificatePem().orElseThrow();
        Path file = Files.writeString(dir.resolve("verification-" + account + "-" + region + ".pem"), pem);
        X509Certificate verification = IndependentVerifier.readCertificate(file);
        assertThat(verification.getSubjectX500Principal().getName()).isEqualTo("CN=" + emulator.registrationCode(account, region));
        IndependentVerifier.validateWithJdk(verification, List.of(), caCertificate());
        IndependentVerifier.verifyWithOpenSsl(scenario.ca.resolve("ca.crt.pem"), null, List.of(file));
    }

    @Test
    void aPlanOfThreeAccountsInTwoRegionsAppliedTwiceChangesNothingTheSecondTime() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().assumableRole(STAGING_ROLE).start()) {
            Path targets = threeAccountsTwoRegions(emulator);

            CommandOutput plan = CommandOutput.run("ca", "plan", "--ca", scenario.ca.toString(), "--config", targets.toString());

            assertThat(plan.exitCode()).as(plan.err()).isZero();
            assertThat(plan.out()).contains("region eu-west-1:", "region us-east-1:",
                    "account " + A + " (STS GetCallerIdentity; target dev): SNI_ONLY - chosen: account " + C + " asks for DEFAULT",
                    "account " + B + " (role-arn; target staging): SNI_ONLY - asked (ca-mode)",
                    "account " + C + " (account-id; target prod): DEFAULT - asked (ca-mode)",
                    "JITP template", "account " + A + " (STS GetCallerIdentity; target dev-us): SNI_ONLY",
                    "account " + C + " (account-id; target prod-us): DEFAULT",
                    "now: not registered -> register as DEFAULT", "Apply with: keyline ca register");
            assertThat(writes(emulator).values()).as("plan only reads").containsOnly(0L);
            assertThat(emulator.requests().total("GetCallerIdentity")).as("dev and dev-us have neither account-id nor role-arn")
                    .isEqualTo(2);

            CommandOutput first = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config", targets.toString(),
                    "--all", "--passphrase-file", scenario.passphrase.toString());

            assertThat(first.exitCode()).as(first.err()).isZero();
            assertThat(first.out()).contains("5 accounts: 5 as planned, 0 failed");
            assertThat(emulator.requests().total("RegisterCACertificate")).isEqualTo(5);
            assertThat(emulator.requests().total("GetRegistrationCode")).as("one code per DEFAULT registration").isEqualTo(2);
            Map<String, String> modes = new TreeMap<>();
            for (String where : List.of(A + "|" + EU, B + "|" + EU, C + "|" + EU, A + "|" + US, C + "|" + US)) {
                String[] parts = where.split("\\|");
                var state = emulator.caCertificate(parts[0], parts[1], caId).orElseThrow();
                modes.put(where, state.mode() + " " + state.status());
            }
            assertThat(modes).containsExactlyInAnyOrderEntriesOf(Map.of(A + "|" + EU, "SNI_ONLY ACTIVE", B + "|" + EU,
                    "SNI_ONLY ACTIVE", C + "|" + EU, "DEFAULT ACTIVE", A + "|" + US, "SNI_ONLY ACTIVE", C + "|" + US, "DEFAULT ACTIVE"));
            assertThat(emulator.caCertificate(B, US, caId)).isEmpty();
            var prod = emulator.caCertificate(C, EU, caId).orElseThrow();
            assertThat(prod.autoRegistration()).isEqualTo("ENABLE");
            assertThat(prod.registrationConfig()).containsEntry("templateBody", JITP)
                    .containsEntry("roleArn", "arn:aws:iam::" + C + ":role/keyline-jitp");
            assertThat(emulator.caCertificate(A, EU, caId).orElseThrow().verificationCertificatePem()).isEmpty();
            verifyVerificationCertificate(emulator, C, EU);
            verifyVerificationCertificate(emulator, C, US);

            Map<String, Long> before = writes(emulator);
            long describes = emulator.requests().total("DescribeCACertificate");
            // No passphrase this time: nothing needs the CA key, so it is not unlocked.
            CommandOutput second = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config", targets.toString(),
                    "--all");

            assertThat(second.exitCode()).as(second.err()).isZero();
            assertThat(second.out()).contains("already registered as DEFAULT, ACTIVE, auto-registration on, JITP template: nothing to do")
                    .contains("5 accounts: 5 as planned, 0 failed");
            assertThat(second.out().split("nothing to do", -1)).as("every account is as planned").hasSize(6);
            assertThat(writes(emulator)).as("the second application calls nothing that writes").isEqualTo(before);
            assertThat(emulator.requests().total("DescribeCACertificate")).isEqualTo(describes + 5);
        }
    }

    @Test
    void aPlanAskingForDefaultTwiceInOneRegionIsRefusedWithExitTwoBeforeAnyCall() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = twoTargets(emulator, "account-id: \"" + A + "\"\nca-mode: DEFAULT", "account-id: \"" + B + "\"\nca-mode: default");

            CommandOutput plan = CommandOutput.run("ca", "plan", "--ca", scenario.ca.toString(), "--config", targets.toString());
            CommandOutput register = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config",
                    targets.toString(), "--all", "--passphrase-file", scenario.passphrase.toString());

            for (CommandOutput refused : List.of(plan, register)) {
                assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
                assertThat(refused.err()).contains("the CA registration plan is refused")
                        .contains("region eu-west-1: account " + A + " (a) and account " + B + " (b) both ask for DEFAULT")
                        .contains("set ca-mode: SNI_ONLY on all but one");
            }
            assertThat(emulator.requests().operations()).as("nothing called").isEmpty();
        }
    }

    @Test
    void anEmulatorAnsweringAUuidAsRegistrationCodeGetsItAsTheVerificationCertificatesCn() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().registrationCodes(() -> java.util.UUID.randomUUID().toString()).start()) {
            Path targets = twoTargets(emulator, "account-id: \"" + A + "\"\nca-mode: DEFAULT", "account-id: \"" + B + "\"\nca-mode: SNI_ONLY");

            CommandOutput register = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config",
                    targets.toString(), "--all", "--passphrase-file", scenario.passphrase.toString());

            assertThat(register.exitCode()).as(register.err()).isZero();
            assertThat(emulator.registrationCode(A, EU)).hasSize(36).contains("-");
            assertThat(emulator.caCertificate(A, EU, caId).orElseThrow().mode()).isEqualTo("DEFAULT");
            verifyVerificationCertificate(emulator, A, EU);
        }
    }

    @Test
    void aRegistrationCodeThatCannotBeACnIsRefusedWithTheValueShownEscapedAndNothingSent() throws Exception {
        String code = "\u001b[31m" + "f".repeat(64);
        try (IotEmulator emulator = EmulatorTargets.emulator().registrationCodes(() -> code).start()) {
            Path targets = twoTargets(emulator, "account-id: \"" + A + "\"\nca-mode: DEFAULT", "account-id: \"" + B + "\"\nca-mode: SNI_ONLY");

            CommandOutput register = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config",
                    targets.toString(), "--all", "--passphrase-file", scenario.passphrase.toString());

            assertThat(register.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(register.out() + register.err()).contains("\"\\u001B[31m" + "f".repeat(64) + "\"")
                    .contains("cannot be the CN of a verification certificate").doesNotContain("\u001b");
            assertThat(emulator.caCertificate(A, EU, caId)).as("nothing sent for A").isEmpty();
            assertThat(emulator.caCertificate(B, EU, caId)).as("the other account goes on").isPresent();
        }
    }

    @Test
    void aCertificateThatIsNotACaIsRefusedBeforeAnythingIsSent() throws Exception {
        char[] passphrase = Files.readString(scenario.passphrase).strip().toCharArray();
        Issuer issuer = new Issuer(new CaFolder(scenario.ca).keyStore().open(new CaSecrets(passphrase::clone, Map.of())),
                CertificateProfile.defaults());
        IssuedCertificate device = issuer.issue(new IssuanceRequest(SubjectName.parse("/O=Acme/CN=not-a-ca"),
                new SoftwareKeySource().generate(KeyAlgorithm.EC_P256).getPublic()));
        IndependentVerifier.validateWithJdk(device.x509(), List.of(), caCertificate());
        Path notCa = Files.createDirectories(dir.resolve("not-a-ca"));
        Files.write(notCa.resolve("ca.crt.pem"), Pem.certificates(List.of(device.x509())));
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = twoTargets(emulator, "", "");

            CommandOutput register = CommandOutput.run("ca", "register", "--ca", notCa.toString(), "--config", targets.toString(),
                    "--target", "a", "--mode", "SNI_ONLY");
            CommandOutput plan = CommandOutput.run("ca", "plan", "--ca", notCa.toString(), "--config", targets.toString());

            for (CommandOutput refused : List.of(register, plan)) {
                assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
                assertThat(refused.err()).contains("cannot be registered with AWS IoT (nothing was sent)")
                        .contains("lacks basicConstraints CA:TRUE").contains("lacks keyCertSign");
            }
            assertThat(emulator.requests().operations()).as("the emulator saw no call").isEmpty();
        }
    }

    @Test
    void aRegistrationCodeThatChangedBeforeRegisteringIsRefusedByAwsAndTheNextRunSucceeds() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = twoTargets(emulator, "ca-mode: DEFAULT", "ca-mode: SNI_ONLY");
            // Someone regenerates account A's code between Keyline's GetRegistrationCode and its RegisterCACertificate.
            emulator.afterNext("GetRegistrationCode", () -> emulator.deleteRegistrationCode(A, EU));

            CommandOutput wrong = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config", targets.toString(),
                    "--target", "a", "--passphrase-file", scenario.passphrase.toString());

            assertThat(wrong.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(wrong.err()).contains("account " + A + " in eu-west-1: RegisterCACertificate failed: "
                    + "RegistrationCodeValidationException").contains("run the command again");
            assertThat(emulator.caCertificate(A, EU, caId)).isEmpty();

            CommandOutput again = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config", targets.toString(),
                    "--target", "a", "--passphrase-file", scenario.passphrase.toString());

            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("registered as DEFAULT, ACTIVE");
            verifyVerificationCertificate(emulator, A, EU);
        }
    }

    @Test
    void devicesIssuedByTheCaRegisterWithCaInAnSniOnlyAccount() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = twoTargets(emulator, "ca-mode: DEFAULT", "ca-mode: SNI_ONLY\nmode: with-ca\nquotas:\n  RegisterCertificate: 200");

            CommandOutput ca = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config", targets.toString(),
                    "--target", "b");
            assertThat(ca.exitCode()).as(ca.err()).isZero();
            assertThat(ca.out()).contains("account " + B + " in eu-west-1 (target b): registered as SNI_ONLY, ACTIVE");

            Path out = dir.resolve("out");
            CommandOutput run = CommandOutput.run(scenario.run(scenario.manifest(20), out, "--config", targets.toString(),
                    "--target", "b").toArray(String[]::new));

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(RegistrationScenario.registrations(out).values()).hasSize(20).containsOnly("REGISTERED");
            for (var row : RegistrationScenario.readCsv(out.resolve("manifest.csv"))) {
                String id = row.get("certificate_id");
                assertThat(emulator.certificateCa(B, id)).contains(caId);
                assertThat(emulator.certificateMode(B, id)).as("a device takes its CA's mode").contains("SNI_ONLY");
                IndependentVerifier.validateWithJdk(IndependentVerifier.readCertificate(out.resolve(row.get("bundle_path"))
                        .resolve("device.crt.pem")), List.of(), caCertificate());
            }
            assertThat(emulator.caCertificate(A, EU, caId)).as("only target b was registered").isEmpty();
        }
    }

    @Test
    void describeShowsStatusModeAutoRegistrationTemplateAndValidity() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = twoTargets(emulator, "", "");
            CommandOutput register = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config", targets.toString(),
                    "--target", "a", "--mode", "SNI_ONLY", "--jitp-template", dir.resolve("jitp.json").toString(),
                    "--role-arn", "arn:aws:iam::" + A + ":role/jitp", "--inactive");
            assertThat(register.exitCode()).as(register.err()).isZero();

            CommandOutput describe = CommandOutput.run("ca", "describe", "--ca", scenario.ca.toString(), "--config",
                    targets.toString(), "--target", "a", "--target", "b");

            assertThat(describe.exitCode()).as(describe.err()).isZero();
            X509Certificate ca = caCertificate();
            assertThat(describe.out()).contains("target a: account " + A + " in eu-west-1:",
                    "certificate ARN:   arn:aws:iot:eu-west-1:" + A + ":cacert/" + caId,
                    "status:            INACTIVE", "mode:              SNI_ONLY", "auto-registration: ENABLE",
                    "JITP template:     {\"Parameters\":", "provisioning role: arn:aws:iam::" + A + ":role/jitp",
                    "validity:          " + ca.getNotBefore().toInstant() + " to " + ca.getNotAfter().toInstant(),
                    "target b: account " + B + " in eu-west-1: not registered");

            CommandOutput again = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config", targets.toString(),
                    "--target", "a", "--mode", "SNI_ONLY");
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out()).contains("already registered as SNI_ONLY, INACTIVE").contains("note: the CA is INACTIVE");
        }
    }

    @Test
    void aModeChangeNeedsReplaceAndThenDeactivatesDeletesAndRegistersAgain() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = twoTargets(emulator, "", "");
            assertThat(Keyline.execute("ca", "register", "--ca", scenario.ca.toString(), "--config", targets.toString(),
                    "--target", "a", "--mode", "SNI_ONLY")).isZero();
            Map<String, Long> before = writes(emulator);

            CommandOutput refused = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config",
                    targets.toString(), "--target", "a", "--mode", "DEFAULT", "--passphrase-file", scenario.passphrase.toString());

            assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err()).contains("holds the CA as SNI_ONLY, and the plan says DEFAULT").contains("needs --replace")
                    .contains("Nothing was changed");
            assertThat(writes(emulator)).isEqualTo(before);

            CommandOutput replaced = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config",
                    targets.toString(), "--target", "a", "--mode", "DEFAULT", "--replace", "--passphrase-file",
                    scenario.passphrase.toString());

            assertThat(replaced.exitCode()).as(replaced.err()).isZero();
            assertThat(replaced.out()).contains("replaced the SNI_ONLY registration: now DEFAULT, ACTIVE")
                    .contains("note: the SNI_ONLY registration was deactivated and deleted")
                    .contains("note: ownership proven with a verification certificate CN=" + emulator.registrationCode(A, EU)
                            + ", signed by SoftwareCaSigner[");
            assertThat(emulator.caCertificate(A, EU, caId).orElseThrow().mode()).isEqualTo("DEFAULT");
            assertThat(emulator.requests().total("UpdateCACertificate")).isEqualTo(1);
            assertThat(emulator.requests().total("DeleteCACertificate")).isEqualTo(1);
            assertThat(emulator.requests().total("RegisterCACertificate")).isEqualTo(2);
            verifyVerificationCertificate(emulator, A, EU);
        }
    }

    @Test
    void aLostReplyIsRetriedAndTheCaThisAccountNowHoldsCountsAsRegistered() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = twoTargets(emulator, "ca-mode: DEFAULT", "");
            emulator.loseNextReplies("RegisterCACertificate", 1, Faults.LostReply.CLOSE_CONNECTION);

            CommandOutput register = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config",
                    targets.toString(), "--target", "a", "--passphrase-file", scenario.passphrase.toString());

            assertThat(register.exitCode()).as(register.err()).isZero();
            assertThat(register.out()).contains("registered as DEFAULT, ACTIVE");
            assertThat(emulator.lostReplies()).isEqualTo(1);
            assertThat(emulator.requests().total("RegisterCACertificate")).as("the retry meets ResourceAlreadyExists").isEqualTo(2);
            assertThat(emulator.caCertificate(A, EU, caId).orElseThrow().mode()).isEqualTo("DEFAULT");
            verifyVerificationCertificate(emulator, A, EU);
        }
    }

    @Test
    void defaultInAnAccountWhenAnotherOfTheRegionHoldsItFailsNamingTheFix() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = twoTargets(emulator, "", "");
            assertThat(Keyline.execute("ca", "register", "--ca", scenario.ca.toString(), "--config", targets.toString(),
                    "--target", "b", "--mode", "DEFAULT", "--passphrase-file", scenario.passphrase.toString())).isZero();

            CommandOutput second = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config",
                    targets.toString(), "--target", "a", "--mode", "DEFAULT", "--passphrase-file", scenario.passphrase.toString());

            assertThat(second.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(second.err()).contains("another account of eu-west-1 already holds it in DEFAULT mode")
                    .contains("register it here as SNI_ONLY");
            assertThat(emulator.caCertificate(A, EU, caId)).isEmpty();
        }
    }

    @Test
    void aJitpTemplateThatDoesNotResolveForEveryDeviceIsRefusedBeforeSendingUnlessTheProfileRequiresTheAttribute()
            throws Exception {
        Path country = Files.writeString(dir.resolve("jitp-country.json"), JITP.replace("CommonName", "Country"));
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = twoTargets(emulator, "", "");
            String[] register = args("ca", "register", "--ca", scenario.ca.toString(), "--config", targets.toString(),
                    "--target", "a", "--mode", "SNI_ONLY", "--jitp-template", country.toString(), "--role-arn",
                    "arn:aws:iam::" + A + ":role/jitp");

            CommandOutput refused = CommandOutput.run(register);

            assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err()).contains("the JITP template cannot be attached to the CA (nothing was sent)")
                    .contains("Cannot resolve reference value: {Ref=AWS::IoT::Certificate::Country}")
                    .contains("add C to the profile's required-subject");
            assertThat(emulator.requests().operations()).isEmpty();

            Path profile = Files.writeString(dir.resolve("profile.yaml"), "required-subject: [CN, C]\n");
            String[] withProfile = java.util.stream.Stream.concat(java.util.Arrays.stream(register),
                    java.util.stream.Stream.of("--profile", profile.toString())).toArray(String[]::new);
            CommandOutput accepted = CommandOutput.run(withProfile);

            assertThat(accepted.exitCode()).as(accepted.err()).isZero();
            assertThat(emulator.caCertificate(A, EU, caId).orElseThrow().registrationConfig())
                    .containsEntry("templateBody", JITP.replace("CommonName", "Country"));

            // The profile's promise is kept when issuing: a device without a country is refused, never signed.
            Path manifest = Files.writeString(dir.resolve("countries.csv"), "device_id,country\nwith-c,US\nwithout-c,\n");
            Path out = dir.resolve("out");
            CommandOutput run = CommandOutput.run(scenario.run(manifest, out, "--profile", profile.toString()).toArray(String[]::new));
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(Files.readString(out.resolve("rejects.csv"))).contains("without-c").contains("lacks C")
                    .contains("required-subject");
            assertThat(out.resolve("bundles/with-c/device.crt.pem")).exists();
            assertThat(out.resolve("bundles/without-c")).doesNotExist();
        }
    }

    @Test
    void badTargetSettingsAndOptionsAreUsageErrors() throws Exception {
        try (IotEmulator emulator = EmulatorTargets.emulator().start()) {
            Path targets = twoTargets(emulator, "ca-mode: OWNER", "");
            CommandOutput badMode = CommandOutput.run("ca", "plan", "--ca", scenario.ca.toString(), "--config", targets.toString());
            assertThat(badMode.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(badMode.err()).contains("keyline.targets.a.ca-mode: \"OWNER\" is not a CA mode: write DEFAULT or SNI_ONLY");

            Path noRole = twoTargets(emulator, "jitp-template: jitp.json", "");
            assertThat(CommandOutput.run("ca", "plan", "--ca", scenario.ca.toString(), "--config", noRole.toString()).err())
                    .contains("keyline.targets.a.jitp-template is set without jitp-role-arn");

            Path ok = twoTargets(emulator, "", "");
            CommandOutput neither = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config", ok.toString());
            assertThat(neither.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(neither.err()).contains("--target NAME (repeatable), or --all");
            CommandOutput modeForAll = CommandOutput.run("ca", "register", "--ca", scenario.ca.toString(), "--config", ok.toString(),
                    "--all", "--mode", "DEFAULT");
            assertThat(modeForAll.err()).contains("--mode, --jitp-template and --role-arn apply to one --target");
            CommandOutput unknown = CommandOutput.run("ca", "describe", "--ca", scenario.ca.toString(), "--config", ok.toString(),
                    "--target", "nope");
            assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(unknown.err()).contains("--target nope is not configured: configured targets are [a, b]");
            assertThat(emulator.requests().operations()).isEmpty();
        }
    }

    @Test
    void theSampleTargetsPlanDefaultForTheFactoryAndTheirJitpTemplatePassesTheLint() {
        // Relative to the engine module, where Maven runs the tests.
        Map<String, dev.keyline.aws.RegistrationTarget> samples = RegistrationTargets.configured(
                java.util.Optional.of(Path.of("../samples/targets.yaml").toAbsolutePath()), List.of(), scenario.ca);
        Map<dev.keyline.aws.RegistrationTarget, dev.keyline.aws.TargetAccount> accounts = new java.util.LinkedHashMap<>();
        samples.values().forEach(t -> accounts.put(t, dev.keyline.aws.TargetAccount.of(t, x -> "444444444444")));

        dev.keyline.aws.CaRegistrationPlan plan = CaRegistrationSetup.plan(accounts);

        assertThat(plan.forTarget("factory").orElseThrow().mode()).isEqualTo(dev.keyline.aws.CaMode.DEFAULT);
        assertThat(plan.forTarget("factory").orElseThrow().jitp()).isPresent();
        assertThat(plan.forTarget("customer").orElseThrow().mode()).isEqualTo(dev.keyline.aws.CaMode.SNI_ONLY);
        assertThat(plan.forTarget("fleet").orElseThrow().account().accountId()).isEqualTo("444444444444");
        assertThat(CaRegistrationSetup.lintTemplates(samples.values(),
                CertificateProfile.load(Path.of("../samples/profile.yaml")))).as("warnings only").hasSize(1);
    }

    @Test
    void helpDescribesTheSubCommands() {
        CommandOutput help = CommandOutput.run("ca", "register", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("--jitp-template", "--role-arn", "--auto-registration",
                "--inactive", "--replace", "--all", "a verification certificate whose CN is that code, signed by the CA's private key");
        assertThat(CommandOutput.run("ca", "--help").out()).contains("plan", "register", "describe");
        assertThat(CommandOutput.run("ca", "plan", "--help").out().replaceAll("\\s+", " "))
                .contains("STS GetCallerIdentity", "Refuses (exit 2) a plan that asks for DEFAULT twice in one region");
    }
}
