package dev.keyline.aws.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.SoftwareCaSigner;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.x509.CaCertificateBuilder;
import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.IssuanceRequest;
import dev.keyline.x509.IssuedCertificate;
import dev.keyline.x509.Issuer;
import dev.keyline.x509.SubjectName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.AutoRegistrationStatus;
import software.amazon.awssdk.services.iot.model.CACertificateStatus;
import software.amazon.awssdk.services.iot.model.CertificateMode;
import software.amazon.awssdk.services.iot.model.CertificateStateException;
import software.amazon.awssdk.services.iot.model.CertificateValidationException;
import software.amazon.awssdk.services.iot.model.IotException;
import software.amazon.awssdk.services.iot.model.InternalFailureException;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.RegistrationCodeValidationException;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.ServiceUnavailableException;
import software.amazon.awssdk.services.iot.model.ThrottlingException;
import software.amazon.awssdk.services.sts.StsClient;

/** The emulator as the real SDK client sees it over HTTP: wire names, status codes, modeled exceptions, rules. */
class IotEmulatorTest {

    private static final SoftwareKeySource KEYS = new SoftwareKeySource();
    private static final KeyPair CA_KEY = KEYS.generate(KeyAlgorithm.EC_P256);
    private static final CertificateAuthority CA = new CertificateAuthority(
            CaCertificateBuilder.root(SubjectName.parse("/O=Keyline Test/CN=Emulator Test CA"), CA_KEY).validity(Duration.ofDays(30)).build(),
            List.of(), new SoftwareCaSigner(CA_KEY.getPrivate(), CA_KEY.getPublic()));
    private static final Issuer ISSUER = new Issuer(CA, CertificateProfile.defaults());
    private static final KeyPair DEVICE_KEY = KEYS.generate(KeyAlgorithm.EC_P256);

    private final IotEmulator emulator = IotEmulator.builder().region("eu-west-1")
            .account("AKIDA", "111111111111").account("AKIDB", "222222222222")
            .policy("111111111111", "p1").thingType("111111111111", "sensor").start();
    private final IotClient a = client("AKIDA");
    private final IotClient b = client("AKIDB");

    @AfterEach
    void stop() {
        a.close();
        b.close();
        emulator.close();
    }

    private IotClient client(String accessKey) {
        return client(accessKey, Region.EU_WEST_1);
    }

    private IotClient client(String accessKey, Region region) {
        System.setProperty("aws.disableEc2Metadata", "true");
        return IotClient.builder().region(region).endpointOverride(emulator.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret")))
                .httpClient(ApacheHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    private static IssuedCertificate issue(String cn) {
        return ISSUER.issue(new IssuanceRequest(SubjectName.parse("/O=Keyline Test/CN=" + cn), DEVICE_KEY.getPublic()));
    }

    private static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END CERTIFICATE-----\n";
    }

    private static String pem(X509Certificate c) throws Exception {
        return pem(c.getEncoded());
    }

    private void registerCaSniOnly(IotClient client, boolean active) throws Exception {
        String caPem = pem(CA.certificate());
        client.registerCACertificate(r -> r.caCertificate(caPem).certificateMode(CertificateMode.SNI_ONLY).setAsActive(active));
    }

    @Test
    void certificateIdIsTheSha256OfTheDerAndArnsAreInAwsFormat() throws Exception {
        IssuedCertificate issued = issue("dev-1");

        var response = a.registerCertificateWithoutCA(r -> r.certificatePem(pem(issued.der())).status("ACTIVE"));

        String sha256 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(issued.der()));
        assertThat(response.certificateId()).isEqualTo(sha256).isEqualTo(issued.certificateId());
        assertThat(response.certificateArn()).isEqualTo("arn:aws:iot:eu-west-1:111111111111:cert/" + sha256);
        var described = a.describeCertificate(r -> r.certificateId(sha256)).certificateDescription();
        assertThat(described.statusAsString()).isEqualTo("ACTIVE");
        assertThat(described.ownedBy()).isEqualTo("111111111111");
        assertThat(described.certificateMode()).isEqualTo(CertificateMode.SNI_ONLY);
        assertThat(described.creationDate()).isNotNull();
        assertThat(a.listCertificates(r -> r.pageSize(10)).certificates()).singleElement()
                .satisfies(c -> assertThat(c.certificateArn()).isEqualTo(response.certificateArn()));
    }

    @Test
    void duplicateCertificateIs409ResourceAlreadyExistsWithItsIdAndArn() {
        String pem = pem(issue("dup").der());
        var first = a.registerCertificateWithoutCA(r -> r.certificatePem(pem));

        assertThatThrownBy(() -> a.registerCertificateWithoutCA(r -> r.certificatePem(pem)))
                .isInstanceOfSatisfying(ResourceAlreadyExistsException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceAlreadyExistsException");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The certificate is already provisioned or registered");
                    assertThat(e.resourceId()).isEqualTo(first.certificateId());
                    assertThat(e.resourceArn()).isEqualTo(first.certificateArn());
                });
        assertThat(emulator.certificateCount("111111111111")).isEqualTo(1);
    }

    @Test
    void accountsAreSeparatedByAccessKey() {
        String pem = pem(issue("shared").der());
        var inA = a.registerCertificateWithoutCA(r -> r.certificatePem(pem));
        var inB = b.registerCertificateWithoutCA(r -> r.certificatePem(pem));

        assertThat(inA.certificateId()).isEqualTo(inB.certificateId());
        assertThat(inA.certificateArn()).contains(":111111111111:");
        assertThat(inB.certificateArn()).contains(":222222222222:");
        assertThat(emulator.certificateCount("111111111111")).isEqualTo(1);
        assertThat(emulator.certificateCount("222222222222")).isEqualTo(1);
    }

    @Test
    void unknownAccessKeyIsRefused() {
        try (IotClient stranger = client("AKIDUNKNOWN")) {
            assertThatThrownBy(() -> stranger.getRegistrationCode(r -> { }))
                    .isInstanceOfSatisfying(IotException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    @Test
    void registerCertificateNeedsItsCaRegisteredAndActiveInThatAccount() throws Exception {
        String devicePem = pem(issue("dev-ca").der());
        String caPem = pem(CA.certificate());

        assertThatThrownBy(() -> a.registerCertificate(r -> r.certificatePem(devicePem).caCertificatePem(caPem)))
                .isInstanceOfSatisfying(CertificateValidationException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
                .hasMessageContaining("not registered");

        registerCaSniOnly(b, false); // registered in B, but INACTIVE
        assertThatThrownBy(() -> b.registerCertificate(r -> r.certificatePem(devicePem).caCertificatePem(caPem)))
                .isInstanceOf(CertificateValidationException.class).hasMessageContaining("not ACTIVE");

        registerCaSniOnly(a, true);
        var registered = a.registerCertificate(r -> r.certificatePem(devicePem).caCertificatePem(caPem).status("ACTIVE"));
        assertThat(a.describeCertificate(r -> r.certificateId(registered.certificateId())).certificateDescription().caCertificateId())
                .isEqualTo(IssuedCertificate.certificateId(CA.certificate().getEncoded()));
    }

    @Test
    void certificateFromAnotherCaIsRefusedEvenWhenTheSubjectsMatch() throws Exception {
        registerCaSniOnly(a, true);
        KeyPair otherKey = KEYS.generate(KeyAlgorithm.EC_P256);
        CertificateAuthority impostor = new CertificateAuthority(
                CaCertificateBuilder.root(SubjectName.parse("/O=Keyline Test/CN=Emulator Test CA"), otherKey).build(),
                List.of(), new SoftwareCaSigner(otherKey.getPrivate(), otherKey.getPublic()));
        byte[] forged = new Issuer(impostor, CertificateProfile.defaults())
                .issue(new IssuanceRequest(SubjectName.parse("/CN=forged"), DEVICE_KEY.getPublic())).der();

        assertThatThrownBy(() -> a.registerCertificate(r -> r.certificatePem(pem(forged))))
                .isInstanceOf(CertificateValidationException.class).hasMessageContaining("not signed by");
    }

    @Test
    void unparsablePemIsCertificateValidationException() {
        assertThatThrownBy(() -> a.registerCertificateWithoutCA(r -> r.certificatePem("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n")))
                .isInstanceOfSatisfying(CertificateValidationException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    private static String verificationFor(String code, CertificateAuthority signer) {
        return pem(new Issuer(signer, CertificateProfile.defaults())
                .issue(new IssuanceRequest(SubjectName.parse("/CN=" + code), DEVICE_KEY.getPublic())).der());
    }

    @Test
    void registrationCodeIsStableUntilDeletedAndPerAccount() {
        String code = a.getRegistrationCode(r -> { }).registrationCode();

        assertThat(code).matches("[0-9a-f]{64}");
        assertThat(a.getRegistrationCode(r -> { }).registrationCode()).isEqualTo(code);
        assertThat(b.getRegistrationCode(r -> { }).registrationCode()).isNotEqualTo(code);
        a.deleteRegistrationCode(r -> { });
        assertThat(a.getRegistrationCode(r -> { }).registrationCode()).isNotEqualTo(code).matches("[0-9a-f]{64}");
    }

    @Test
    void defaultModeCaNeedsTheCurrentRegistrationCodeSignedByTheCaKey() throws Exception {
        String code = a.getRegistrationCode(r -> { }).registrationCode();
        String caPem = pem(CA.certificate());

        KeyPair other = KEYS.generate(KeyAlgorithm.EC_P256);
        CertificateAuthority otherCa = new CertificateAuthority(
                CaCertificateBuilder.root(SubjectName.parse("/CN=Other"), other).build(), List.of(),
                new SoftwareCaSigner(other.getPrivate(), other.getPublic()));
        assertThatThrownBy(() -> a.registerCACertificate(r -> r.caCertificate(caPem).verificationCertificate(verificationFor(code, otherCa))))
                .isInstanceOfSatisfying(CertificateValidationException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
                .hasMessageContaining("not signed by the CA");
        assertThatThrownBy(() -> a.registerCACertificate(r -> r.caCertificate(caPem).verificationCertificate(verificationFor("0".repeat(64), CA))))
                .isInstanceOfSatisfying(RegistrationCodeValidationException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
        a.deleteRegistrationCode(r -> { });
        assertThatThrownBy(() -> a.registerCACertificate(r -> r.caCertificate(caPem).verificationCertificate(verificationFor(code, CA))))
                .as("a deleted code no longer proves anything").isInstanceOf(RegistrationCodeValidationException.class);
        assertThatThrownBy(() -> a.registerCACertificate(r -> r.caCertificate(caPem).certificateMode(CertificateMode.DEFAULT)))
                .isInstanceOf(InvalidRequestException.class);

        String current = a.getRegistrationCode(r -> { }).registrationCode();
        var ca = a.registerCACertificate(r -> r.caCertificate(caPem).verificationCertificate(verificationFor(current, CA)).setAsActive(true));

        assertThat(ca.certificateArn()).isEqualTo("arn:aws:iot:eu-west-1:111111111111:cacert/" + ca.certificateId());
        var described = a.describeCACertificate(r -> r.certificateId(ca.certificateId()));
        assertThat(described.certificateDescription().statusAsString()).isEqualTo("ACTIVE");
        assertThat(described.certificateDescription().certificateMode()).isEqualTo(CertificateMode.DEFAULT);
        assertThat(described.certificateDescription().autoRegistrationStatus()).isEqualTo(AutoRegistrationStatus.DISABLE);
        assertThat(described.certificateDescription().validity().notAfter()).isEqualTo(CA.certificate().getNotAfter().toInstant());
        assertThatThrownBy(() -> a.registerCACertificate(r -> r.caCertificate(caPem).verificationCertificate(verificationFor(current, CA))))
                .isInstanceOf(ResourceAlreadyExistsException.class);
    }

    @Test
    void oneAccountPerRegionHoldsACaInDefaultModeOthersUseSniOnly() throws Exception {
        String caPem = pem(CA.certificate());
        String codeA = a.getRegistrationCode(r -> { }).registrationCode();
        a.registerCACertificate(r -> r.caCertificate(caPem).verificationCertificate(verificationFor(codeA, CA)).setAsActive(true));

        String codeB = b.getRegistrationCode(r -> { }).registrationCode();
        assertThatThrownBy(() -> b.registerCACertificate(r -> r.caCertificate(caPem).verificationCertificate(verificationFor(codeB, CA))))
                .isInstanceOfSatisfying(ResourceAlreadyExistsException.class, e -> assertThat(e.statusCode()).isEqualTo(409));
        assertThatThrownBy(() -> b.registerCACertificate(r -> r.caCertificate(caPem).certificateMode(CertificateMode.SNI_ONLY)
                .verificationCertificate(verificationFor(codeB, CA)))).as("SNI_ONLY takes no verification certificate")
                .isInstanceOf(InvalidRequestException.class);
        registerCaSniOnly(b, true);

        try (IotClient bInUs = client("AKIDB", Region.US_EAST_1)) {
            String codeUs = bInUs.getRegistrationCode(r -> { }).registrationCode();
            var us = bInUs.registerCACertificate(r -> r.caCertificate(caPem).verificationCertificate(verificationFor(codeUs, CA)));
            assertThat(us.certificateArn()).as("another region is another registration").startsWith("arn:aws:iot:us-east-1:222222222222:cacert/");
        }
        String id = IssuedCertificate.certificateId(CA.certificate().getEncoded());
        assertThat(emulator.caCertificate("111111111111", "eu-west-1", id)).get().extracting(IotEmulator.CaState::mode).isEqualTo("DEFAULT");
        assertThat(emulator.caCertificate("222222222222", "eu-west-1", id)).get().extracting(IotEmulator.CaState::mode).isEqualTo("SNI_ONLY");
        assertThat(emulator.caCertificate("222222222222", "us-east-1", id)).get().extracting(IotEmulator.CaState::mode).isEqualTo("DEFAULT");
    }

    @Test
    void describeUpdateAndDeleteOfACaCertificate() throws Exception {
        String caPem = pem(CA.certificate());
        String template = "{\"Resources\": {}}";
        var ca = a.registerCACertificate(r -> r.caCertificate(caPem).certificateMode(CertificateMode.SNI_ONLY).setAsActive(true)
                .allowAutoRegistration(true).registrationConfig(c -> c.templateBody(template).roleArn("arn:aws:iam::111111111111:role/jitp")));

        var described = a.describeCACertificate(r -> r.certificateId(ca.certificateId()));
        assertThat(described.certificateDescription().autoRegistrationStatus()).isEqualTo(AutoRegistrationStatus.ENABLE);
        assertThat(described.registrationConfig().templateBody()).isEqualTo(template);
        assertThat(described.registrationConfig().roleArn()).isEqualTo("arn:aws:iam::111111111111:role/jitp");

        a.updateCACertificate(r -> r.certificateId(ca.certificateId()).newAutoRegistrationStatus(AutoRegistrationStatus.DISABLE)
                .registrationConfig(c -> c.templateBody("{}").roleArn("arn:aws:iam::111111111111:role/other")));
        var updated = a.describeCACertificate(r -> r.certificateId(ca.certificateId()));
        assertThat(updated.certificateDescription().autoRegistrationStatus()).isEqualTo(AutoRegistrationStatus.DISABLE);
        assertThat(updated.registrationConfig().roleArn()).endsWith("role/other");
        assertThat(updated.certificateDescription().customerVersion()).isEqualTo(2);

        assertThatThrownBy(() -> a.deleteCACertificate(r -> r.certificateId(ca.certificateId())))
                .isInstanceOfSatisfying(CertificateStateException.class, e -> assertThat(e.statusCode()).isEqualTo(406));
        a.updateCACertificate(r -> r.certificateId(ca.certificateId()).newStatus(CACertificateStatus.INACTIVE));
        a.deleteCACertificate(r -> r.certificateId(ca.certificateId()));
        assertThatThrownBy(() -> a.describeCACertificate(r -> r.certificateId(ca.certificateId())))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> a.registerCACertificate(r -> r.caCertificate(caPem).certificateMode(CertificateMode.SNI_ONLY)
                .registrationConfig(c -> c.templateBody("{not json"))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("JSON not well-formed");
    }

    @Test
    void callerIdentityNamesTheAccountOfTheAccessKey() {
        try (StsClient sts = StsClient.builder().region(Region.EU_WEST_1).endpointOverride(emulator.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDB", "secret")))
                .httpClient(ApacheHttpClient.create()).build()) {
            assertThat(sts.getCallerIdentity(r -> { }).account()).isEqualTo("222222222222");
        }
        assertThat(emulator.requests().total("GetCallerIdentity")).isEqualTo(1);
    }

    @Test
    void createThingIsIdempotentWithTheSameSettingsOnly() {
        var first = a.createThing(r -> r.thingName("dev:1_a-b").thingTypeName("sensor").attributePayload(p -> p.attributes(Map.of("line", "3"))));
        var again = a.createThing(r -> r.thingName("dev:1_a-b").thingTypeName("sensor").attributePayload(p -> p.attributes(Map.of("line", "3"))));

        assertThat(again.thingArn()).isEqualTo(first.thingArn()).isEqualTo("arn:aws:iot:eu-west-1:111111111111:thing/dev:1_a-b");
        assertThat(again.thingId()).isEqualTo(first.thingId());
        assertThatThrownBy(() -> a.createThing(r -> r.thingName("dev:1_a-b").attributePayload(p -> p.attributes(Map.of("line", "4")))))
                .isInstanceOfSatisfying(ResourceAlreadyExistsException.class, e -> assertThat(e.resourceArn()).isEqualTo(first.thingArn()));
        var described = a.describeThing(r -> r.thingName("dev:1_a-b"));
        assertThat(described.thingTypeName()).isEqualTo("sensor");
        assertThat(described.attributes()).containsExactlyEntriesOf(Map.of("line", "3"));
    }

    @Test
    void thingNamesOutsideAwsPatternAndUnknownTypesAreRefused() {
        assertThatThrownBy(() -> a.createThing(r -> r.thingName("bad name!"))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> a.createThing(r -> r.thingName("x".repeat(129)))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> a.createThing(r -> r.thingName("ok").thingTypeName("nope"))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> a.describeThing(r -> r.thingName("missing"))).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void principalsAndPoliciesAttachOnceAndNeedExistingResources() {
        var cert = a.registerCertificateWithoutCA(r -> r.certificatePem(pem(issue("att").der())).status("ACTIVE"));
        a.createThing(r -> r.thingName("att"));

        a.attachThingPrincipal(r -> r.thingName("att").principal(cert.certificateArn()));
        a.attachThingPrincipal(r -> r.thingName("att").principal(cert.certificateArn()));
        a.attachPolicy(r -> r.policyName("p1").target(cert.certificateArn()));
        a.attachPolicy(r -> r.policyName("p1").target(cert.certificateArn()));

        assertThat(a.listThingPrincipals(r -> r.thingName("att")).principals()).containsExactly(cert.certificateArn());
        assertThat(emulator.policiesOf("111111111111", cert.certificateArn())).containsExactly("p1");
        assertThatThrownBy(() -> a.attachPolicy(r -> r.policyName("nope").target(cert.certificateArn()))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> a.attachThingPrincipal(r -> r.thingName("att").principal("arn:aws:iot:eu-west-1:111111111111:cert/00")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void updateCertificateChangesStatusButNeverRevivesARevokedOne() {
        var cert = a.registerCertificateWithoutCA(r -> r.certificatePem(pem(issue("upd").der())).status("INACTIVE"));

        a.updateCertificate(r -> r.certificateId(cert.certificateId()).newStatus("ACTIVE"));
        assertThat(emulator.certificateStatus("111111111111", cert.certificateId())).contains("ACTIVE");
        a.updateCertificate(r -> r.certificateId(cert.certificateId()).newStatus("REVOKED"));

        assertThatThrownBy(() -> a.updateCertificate(r -> r.certificateId(cert.certificateId()).newStatus("ACTIVE")))
                .isInstanceOfSatisfying(CertificateStateException.class, e -> assertThat(e.statusCode()).isEqualTo(406));
        assertThatThrownBy(() -> a.updateCertificate(r -> r.certificateId(cert.certificateId()).newStatus("PENDING_ACTIVATION")))
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void registerThingResolvesParametersAndDefaultsAndNamesAnUnresolvedReference() {
        String template = """
                {"Parameters": {"ThingName": {"Type": "String"}, "CertificatePem": {"Type": "String"},
                                "Line": {"Type": "String", "Default": "7"}},
                 "Resources": {
                   "certificate": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificatePem": {"Ref": "CertificatePem"}, "Status": "ACTIVE"}},
                   "thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "ThingName"}, "AttributePayload": {"line": {"Ref": "Line"}}}},
                   "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "p1"}}}}
                """;
        String pem = pem(issue("tpl").der());

        var response = a.registerThing(r -> r.templateBody(template).parameters(Map.of("ThingName", "tpl-1", "CertificatePem", pem)));

        assertThat(response.resourceArns()).containsKeys("certificate", "thing", "policy");
        assertThat(response.resourceArns().get("thing")).isEqualTo("arn:aws:iot:eu-west-1:111111111111:thing/tpl-1");
        assertThat(emulator.thingAttributes("111111111111", "tpl-1")).contains(Map.of("line", "7"));
        assertThat(emulator.thingPrincipals("111111111111", "tpl-1")).containsExactly(response.resourceArns().get("certificate"));

        String country = template.replace("{\"Ref\": \"Line\"}", "{\"Ref\": \"AWS::IoT::Certificate::Country\"}");
        assertThatThrownBy(() -> a.registerThing(r -> r.templateBody(country).parameters(Map.of("ThingName", "tpl-2", "CertificatePem", pem))))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("Invalid registration template. Cannot resolve reference value: {Ref=AWS::IoT::Certificate::Country}"));
        assertThat(emulator.thingAttributes("111111111111", "tpl-2")).isEmpty();
        assertThatThrownBy(() -> a.registerThing(r -> r.templateBody("{oops")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("JSON not well-formed");
    }

    @Test
    void injectedFaultsArriveAsTheModeledExceptions() {
        emulator.faults(new Faults(1, 0, 0, Faults.LostReply.INTERNAL_FAILURE));
        assertThatThrownBy(() -> a.getRegistrationCode(r -> { })).isInstanceOfSatisfying(ThrottlingException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.isThrottlingException()).isTrue();
        });
        emulator.faults(new Faults(0, 1, 0, Faults.LostReply.INTERNAL_FAILURE));
        boolean sawInternal = false;
        boolean sawUnavailable = false;
        for (int i = 0; i < 20; i++) {
            try {
                a.getRegistrationCode(r -> { });
            } catch (InternalFailureException e) {
                sawInternal = e.statusCode() == 500;
            } catch (ServiceUnavailableException e) {
                sawUnavailable = e.statusCode() == 503;
            }
        }
        assertThat(sawInternal).isTrue();
        assertThat(sawUnavailable).isTrue();
    }

    @Test
    void lostReplyStillRegistersTheCertificate() {
        String pem = pem(issue("lost").der());
        emulator.loseNextReplies("RegisterCertificateWithoutCA", 1, Faults.LostReply.CLOSE_CONNECTION);

        assertThatThrownBy(() -> a.registerCertificateWithoutCA(r -> r.certificatePem(pem))).isInstanceOf(SdkClientException.class);

        assertThat(emulator.certificateCount("111111111111")).isEqualTo(1);
        assertThat(emulator.lostReplies()).isEqualTo(1);
        emulator.loseNextReplies("RegisterCertificateWithoutCA", 1, Faults.LostReply.INTERNAL_FAILURE);
        assertThatThrownBy(() -> a.registerCertificateWithoutCA(r -> r.certificatePem(pem(issue("lost-2").der()))))
                .isInstanceOf(InternalFailureException.class);
        assertThat(emulator.certificateCount("111111111111")).isEqualTo(2);
    }

    @Test
    void countsRequestsPerOperationPerSecond() {
        for (int i = 0; i < 5; i++) {
            a.getRegistrationCode(r -> { });
        }
        assertThat(emulator.requests().total("GetRegistrationCode")).isEqualTo(5);
        assertThat(emulator.requests().perSecond("GetRegistrationCode").values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
        assertThat(emulator.requests().maxPerSecond("GetRegistrationCode")).isBetween(3, 5);
        assertThat(emulator.requests().total("CreateThing")).isZero();
    }

    @Test
    void registrationTaskReadsItsFileFromS3RunsOneAtATimePerAccountAndReportsByLineNumber() throws Exception {
        String template = "{\"Parameters\": {\"ThingName\": {\"Type\": \"String\"}, \"CertificatePem\": {\"Type\": \"String\"}},"
                + " \"Resources\": {\"thing\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {\"ThingName\": {\"Ref\": \"ThingName\"}}},"
                + " \"certificate\": {\"Type\": \"AWS::IoT::Certificate\", \"Properties\": {\"CertificatePem\": {\"Ref\": \"CertificatePem\"}}}}}";
        String role = "arn:aws:iam::111111111111:role/bulk";
        try (IotEmulator bulk = IotEmulator.builder().region("eu-west-1").account("AKIDA", "111111111111").bucket("in")
                .taskDuration(Duration.ofMillis(300)).start();
             IotClient iot = IotClient.builder().region(Region.EU_WEST_1).endpointOverride(bulk.endpoint())
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDA", "secret")))
                     .httpClient(ApacheHttpClient.create()).build();
             software.amazon.awssdk.services.s3.S3Client s3 = software.amazon.awssdk.services.s3.S3Client.builder()
                     .region(Region.EU_WEST_1).endpointOverride(bulk.endpoint()).forcePathStyle(true)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDA", "secret")))
                     .httpClient(ApacheHttpClient.create()).build()) {
            bulk.bulkLineFailure(line -> line.path("ThingName").asString().equals("t2") ? java.util.Optional.of("no t2")
                    : java.util.Optional.empty());
            StringBuilder file = new StringBuilder();
            for (int i = 1; i <= 3; i++) {
                file.append(new tools.jackson.databind.json.JsonMapper().writeValueAsString(
                        Map.of("ThingName", "t" + i, "CertificatePem", pem(issue("t" + i).der())))).append('\n');
            }
            s3.putObject(r -> r.bucket("in").key("a/input.jsonl"), software.amazon.awssdk.core.sync.RequestBody.fromString(file.toString()));
            assertThat(new String(bulk.s3Object("in", "a/input.jsonl").orElseThrow())).isEqualTo(file.toString());

            String taskId = iot.startThingRegistrationTask(r -> r.templateBody(template).inputFileBucket("in")
                    .inputFileKey("a/input.jsonl").roleArn(role)).taskId();
            assertThatThrownBy(() -> iot.startThingRegistrationTask(r -> r.templateBody(template).inputFileBucket("in")
                    .inputFileKey("a/input.jsonl").roleArn(role)))
                    .isInstanceOf(software.amazon.awssdk.services.iot.model.InvalidRequestException.class)
                    .hasMessageContaining("already in progress");
            assertThat(iot.listThingRegistrationTasks(r -> r.status("InProgress")).taskIds()).containsExactly(taskId);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (!iot.describeThingRegistrationTask(r -> r.taskId(taskId)).statusAsString().equals("Completed")) {
                assertThat(System.nanoTime()).as("the task completes within 60 s").isLessThan(deadline);
                Thread.sleep(20);
            }
            var described = iot.describeThingRegistrationTask(r -> r.taskId(taskId));
            assertThat(described.successCount()).isEqualTo(2);
            assertThat(described.failureCount()).isEqualTo(1);
            List<String> errorLinks = iot.listThingRegistrationTaskReports(r -> r.taskId(taskId).reportType("ERRORS")).resourceLinks();
            assertThat(errorLinks).hasSize(1);
            String errors = new String(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(errorLinks.get(0))).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body());
            assertThat(errors).contains("\"lineNumber\":2").contains("no t2").contains("\"response\":null");
            assertThat(bulk.thingPrincipals("111111111111", "t1")).hasSize(1);
            assertThat(bulk.thingAttributes("111111111111", "t2")).as("the failed line made no thing").isEmpty();
        }
    }
}
