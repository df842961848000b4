package dev.keyline.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

class RegistrationTargetTest {

    private static final String TEMPLATE = """
            {"Parameters": {"ThingName": {"Type": "String"}, "Site": {"Type": "String", "Default": "plant-1"}},
             "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "ThingName"}}}}}
            """;

    @Test
    void defaultsAreAwsDefaultQuotasActiveCertificatesAndTheDefaultChain() {
        RegistrationTarget target = RegistrationTarget.builder("prod", "eu-west-1").build();

        assertThat(target.mode()).isEqualTo(RegistrationMode.WITHOUT_CA);
        assertThat(target.certificateStatus()).isEqualTo(CertificateStatus.ACTIVE);
        assertThat(target.credentials()).isInstanceOf(TargetCredentials.DefaultChain.class);
        assertThat(target.quota(IotOperation.REGISTER_CERTIFICATE)).isEqualTo(10);
        assertThat(target.quota(IotOperation.REGISTER_CERTIFICATE_WITHOUT_CA)).isEqualTo(10);
        assertThat(target.quota(IotOperation.REGISTER_THING)).isEqualTo(10);
        assertThat(target.quota(IotOperation.ATTACH_POLICY)).isEqualTo(15);
        assertThat(target.quota(IotOperation.CREATE_THING)).isEqualTo(100);
        assertThat(target.quota(IotOperation.ATTACH_THING_PRINCIPAL)).isEqualTo(100);
    }

    @Test
    void configuredQuotaReplacesOnlyItsOperation() {
        RegistrationTarget target = RegistrationTarget.builder("prod", "eu-west-1").quota(IotOperation.CREATE_THING, 250).build();

        assertThat(target.quota(IotOperation.CREATE_THING)).isEqualTo(250);
        assertThat(target.quota(IotOperation.ATTACH_POLICY)).isEqualTo(15);
        assertThat(IotOperation.ofAwsName("RegisterCertificateWithoutCA")).isEqualTo(IotOperation.REGISTER_CERTIFICATE_WITHOUT_CA);
    }

    @Test
    void withCaWithoutCaCertificateNamesTheSettingAndTheAlternative() {
        assertThatThrownBy(() -> RegistrationTarget.builder("prod", "eu-west-1").mode(RegistrationMode.WITH_CA).build())
                .hasMessageContaining("keyline.targets.prod.ca-certificate is missing")
                .hasMessageContaining("mode without-ca");
    }

    @Test
    void withCaRefusesTextThatIsNotACertificate() {
        assertThatThrownBy(() -> RegistrationTarget.builder("prod", "eu-west-1").mode(RegistrationMode.WITH_CA)
                .caCertificatePem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").build())
                .hasMessageContaining("keyline.targets.prod.ca-certificate is not a PEM X.509 certificate");
    }

    @Test
    void templateModeNeedsATemplateAndRefusesThingSettings() {
        assertThatThrownBy(() -> RegistrationTarget.builder("t", "eu-west-1").mode(RegistrationMode.TEMPLATE).build())
                .hasMessageContaining("keyline.targets.t.template is missing");
        assertThatThrownBy(() -> RegistrationTarget.builder("t", "eu-west-1").mode(RegistrationMode.TEMPLATE)
                .templateBody(TEMPLATE).createThing(true).build())
                .hasMessageContaining("do not apply to mode template");
        assertThatThrownBy(() -> RegistrationTarget.builder("t", "eu-west-1").templateBody("{not json"))
                .hasMessageContaining("keyline.targets.t.template").hasMessageContaining("not well-formed JSON");
    }

    @Test
    void refusesBadNamesRegionsQuotasAndEndpoints() {
        assertThatThrownBy(() -> RegistrationTarget.builder("a b", "eu-west-1").build()).hasMessageContaining("target name \"a b\"");
        assertThatThrownBy(() -> RegistrationTarget.builder("p", "Europe").build())
                .hasMessageContaining("keyline.targets.p.region \"Europe\"").hasMessageContaining("eu-west-1");
        assertThatThrownBy(() -> RegistrationTarget.builder("p", "eu-west-1").quota(IotOperation.ATTACH_POLICY, 0).build())
                .hasMessageContaining("keyline.targets.p.quotas.AttachPolicy = 0.0").hasMessageContaining("default is 15");
        assertThatThrownBy(() -> RegistrationTarget.builder("p", "eu-west-1").endpoint(URI.create("localhost:8443")).build())
                .hasMessageContaining("keyline.targets.p.endpoint");
        assertThatThrownBy(() -> RegistrationTarget.builder("p", "eu-west-1").thingType("sensor").build())
                .hasMessageContaining("create-thing is false");
        assertThatThrownBy(() -> RegistrationTarget.builder("p", "eu-west-1").accountId("12345").build())
                .hasMessageContaining("account-id \"12345\" is not 12 digits");
        assertThatThrownBy(() -> TargetCredentials.assumeRole("arn:aws:iam::123:role/x"))
                .hasMessageContaining("arn:aws:iam::<12-digit account>:role/<name>");
    }

    @Test
    void templateDeclaresParametersWithDefaultsAndSendsOnlyThose() {
        ProvisioningTemplate template = RegistrationTarget.builder("t", "eu-west-1").mode(RegistrationMode.TEMPLATE)
                .templateBody(TEMPLATE).build().template().orElseThrow();

        assertThat(template.parameters()).containsOnlyKeys("ThingName", "Site");
        assertThat(template.parameters().get("Site")).contains("plant-1");
        assertThat(template.parametersFor(java.util.Map.of("ThingName", "dev-1", "Colour", "red")))
                .containsExactlyEntriesOf(java.util.Map.of("ThingName", "dev-1"));
    }

    @Test
    void bulkTaskNeedsItsTemplateBucketAndARoleOfItsOwnAccount() {
        String template = "{\"Resources\": {}}";
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("keyline.targets.b.region", "eu-west-1");
        settings.put("keyline.targets.b.mode", "bulk-task");
        settings.put("keyline.targets.b.account-id", "111111111111");
        assertThatThrownBy(() -> TargetConfiguration.parse(settings, java.nio.file.Path.of("."), java.util.Optional.empty()))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("keyline.targets.b.template is missing");
        assertThatThrownBy(() -> RegistrationTarget.builder("b", "eu-west-1").mode(RegistrationMode.BULK_TASK).templateBody(template).build())
                .hasMessageContaining("keyline.targets.b.bulk.bucket and bulk.role-arn are missing");
        settings.put("keyline.targets.b.bulk.role-arn", "arn:aws:iam::111111111111:role/bulk");
        assertThatThrownBy(() -> TargetConfiguration.parse(settings, java.nio.file.Path.of("."), java.util.Optional.empty()))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("keyline.targets.b.bulk.bucket is missing");
        settings.put("keyline.targets.b.bulk.bucket", "Not_A_Bucket");
        assertThatThrownBy(() -> TargetConfiguration.parse(settings, java.nio.file.Path.of("."), java.util.Optional.empty()))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("keyline.targets.b.bulk.bucket \"Not_A_Bucket\" is not an S3 bucket name");
        assertThatThrownBy(() -> RegistrationTarget.builder("b", "eu-west-1").accountId("222222222222").mode(RegistrationMode.BULK_TASK)
                .templateBody(template).bulk(new BulkSettings("keyline-bulk", "", "arn:aws:iam::111111111111:role/bulk",
                        10, java.time.Duration.ofSeconds(1), 1)).build())
                .hasMessageContaining("bulk.role-arn is in account 111111111111 but the target's account is 222222222222");
        assertThatThrownBy(() -> RegistrationTarget.builder("b", "eu-west-1").bulk(new BulkSettings("keyline-bulk", "",
                "arn:aws:iam::111111111111:role/bulk", 10, java.time.Duration.ofSeconds(1), 1)).build())
                .hasMessageContaining("bulk.* is set but mode is without-ca");
    }

    @Test
    void bulkTaskDefaultsToFiftyThousandLinesATask() {
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("keyline.targets.b.region", "eu-west-1");
        settings.put("keyline.targets.b.mode", "bulk-task");
        settings.put("keyline.targets.b.template", "provisioning-template.json");
        settings.put("keyline.targets.b.bulk.bucket", "keyline-bulk");
        settings.put("keyline.targets.b.bulk.role-arn", "arn:aws:iam::111111111111:role/bulk");
        RegistrationTarget target = TargetConfiguration.parse(settings, java.nio.file.Path.of("../samples"), java.util.Optional.empty()).get("b");
        assertThat(target.bulk().orElseThrow().maxLines()).isEqualTo(50_000);
        assertThat(target.bulk().orElseThrow().inputKey("out-1", "b", 2, "ab12")).isEqualTo("keyline/out-1/b/2-ab12.jsonl");
    }
}
