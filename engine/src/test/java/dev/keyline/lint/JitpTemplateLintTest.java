package dev.keyline.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.SubjectName.AttributeType;

class JitpTemplateLintTest {

    private static final CertificateProfile DEFAULTS = CertificateProfile.defaults();

    private static List<Finding> errors(String template, CertificateProfile profile) {
        return JitpTemplateLint.check("jitp.json", template, profile).findings().stream().filter(Finding::isError).toList();
    }

    @Test
    void theSampleStyleTemplateWithCommonNameAndIdPassesWithAWarningAboutCn() {
        String template = TemplateLintTest.JITP.formatted(", \"Default\": \"US\"");

        TemplateCheck check = JitpTemplateLint.check("jitp.json", template, DEFAULTS);

        assertThat(check.hasErrors()).isFalse();
        assertThat(check.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(JitpTemplateLint.COMMON_NAME);
            assertThat(f.fix()).contains("required-subject");
        });
        assertThat(JitpTemplateLint.check("jitp.json", template, DEFAULTS.withRequiredSubject(EnumSet.of(AttributeType.CN))).findings())
                .isEmpty();
    }

    @Test
    void aCertificateAttributeTheProfileDoesNotRequireCannotResolveForEveryDevice() {
        String template = TemplateLintTest.JITP.formatted("");

        assertThat(errors(template, DEFAULTS)).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(JitpTemplateLint.UNRESOLVED);
            assertThat(f.message()).contains("Cannot resolve reference value: {Ref=AWS::IoT::Certificate::Country}")
                    .contains("does not require a subject C");
            assertThat(f.fix()).contains("add C to the profile's required-subject").contains("Default");
        });
        assertThat(errors(template, DEFAULTS.withRequiredSubject(EnumSet.of(AttributeType.C, AttributeType.CN)))).isEmpty();
    }

    @Test
    void aPlainParameterNeedsADefaultBecauseJitpFillsOnlyCertificateParameters() {
        String template = """
                {"Parameters": {"ThingName": {"Type": "String"}, "Site": {"Type": "String", "Default": "plant-1"}},
                 "Resources": {
                   "thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "ThingName"},
                       "AttributePayload": {"site": {"Ref": "Site"}}}},
                   "certificate": {"Type": "AWS::IoT::Certificate", "Properties": {
                       "CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}}}}
                """;

        assertThat(errors(template, DEFAULTS)).singleElement().satisfies(f -> {
            assertThat(f.field()).isEqualTo("ThingName");
            assertThat(f.message()).contains("fills only the AWS::IoT::Certificate::* parameters");
        });
    }

    @Test
    void theCertificateMustBeNamedByCertificateId() {
        String byPem = """
                {"Parameters": {"CertificatePem": {"Type": "String", "Default": "x"}},
                 "Resources": {"certificate": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificatePem": {"Ref": "CertificatePem"}}}}}
                """;
        String none = """
                {"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "fixed"}}}}
                """;

        assertThat(errors(byPem, DEFAULTS)).extracting(Finding::code).containsExactly(JitpTemplateLint.CERTIFICATE_ID);
        assertThat(errors(none, DEFAULTS)).singleElement().satisfies(f -> assertThat(f.fix()).contains("AWS::IoT::Certificate::Id"));
    }

    @Test
    void structuralErrorsOfTheGeneralLintComeFirst() {
        assertThat(errors("{not json", DEFAULTS)).singleElement()
                .satisfies(f -> assertThat(f.message()).contains("JSON not well-formed"));
    }
}
