package dev.keyline.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TemplateLintTest {

    static final String JITP = """
            {"Parameters": {
               "AWS::IoT::Certificate::CommonName": {"Type": "String"},
               "AWS::IoT::Certificate::Country": {"Type": "String"%s},
               "AWS::IoT::Certificate::Id": {"Type": "String"}},
             "Resources": {
               "thing": {"Type": "AWS::IoT::Thing", "Properties": {
                   "ThingName": {"Ref": "AWS::IoT::Certificate::CommonName"},
                   "AttributePayload": {"version": "v1", "country": {"Ref": "AWS::IoT::Certificate::Country"}}}},
               "certificate": {"Type": "AWS::IoT::Certificate", "Properties": {
                   "CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "ACTIVE"}}}}
            """;

    static ProvisioningTemplate template(String text) {
        TemplateCheck check = TemplateLint.check("t.json", text);
        assertThat(check.findings()).isEmpty();
        return check.template().orElseThrow();
    }

    private static List<Finding> deviceFindings(ProvisioningTemplate t, Map<String, String> row) {
        DeviceLinter lint = new DeviceLinter(Optional.of(t), Optional.empty(), Optional.empty(), Optional.empty(), false);
        return lint.lint(SubjectCorpusTest.row(row), null).findings();
    }

    @Test
    void missingCountryGivesTheExactAwsErrorAndTheFix() {
        List<Finding> findings = deviceFindings(template(JITP.formatted("")), Map.of("device_id", "testThing"));
        assertThat(findings).hasSize(1);
        Finding f = findings.get(0);
        assertThat(f.isError()).isTrue();
        assertThat(f.code()).isEqualTo(ReferenceCheck.UNRESOLVED);
        assertThat(f.field()).isEqualTo("AWS::IoT::Certificate::Country");
        assertThat(f.message()).startsWith("InvalidRequestException: Invalid registration template. Cannot resolve "
                + "reference value: {Ref=AWS::IoT::Certificate::Country}").contains("has no C");
        assertThat(f.fix()).contains("manifest column country").contains("\"Default\"");
    }

    @Test
    void aDefaultResolvesTheMissingCountry() {
        assertThat(deviceFindings(template(JITP.formatted(", \"Default\": \"US\"")), Map.of("device_id", "testThing")))
                .isEmpty();
    }

    @Test
    void aCountryInTheManifestResolvesIt() {
        assertThat(deviceFindings(template(JITP.formatted("")), Map.of("device_id", "testThing", "country", "US"))).isEmpty();
    }

    @Test
    void plainParametersComeFromTheManifestByTheDocumentedMapping() {
        ProvisioningTemplate t = template("""
                {"Parameters": {"ThingName": {"Type": "String"}, "SerialNumber": {"Type": "String"},
                                "Plant": {"Type": "String"}},
                 "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {
                    "ThingName": {"Fn::Join": ["", ["acme-", {"Ref": "ThingName"}]]},
                    "AttributePayload": {"serial": {"Ref": "SerialNumber"}, "plant": {"Fn::Sub": "plant-${Plant}"}}}}}}
                """);
        assertThat(t.referencedNames()).containsExactly("ThingName", "SerialNumber", "Plant");
        List<Finding> missing = deviceFindings(t, Map.of("device_id", "d1"));
        assertThat(missing).extracting(Finding::field).containsExactly("SerialNumber", "Plant");
        assertThat(missing.get(1).fix()).contains("add Plant=value to the row's attributes column");
        assertThat(deviceFindings(t, Map.of("device_id", "d1", "serial_number", "SN1", "attributes", "Plant=berlin")))
                .isEmpty();
    }

    @Test
    void thingNameBuiltFromTheCommonNameMustMatchAwsPattern() {
        List<Finding> findings = deviceFindings(template(JITP.formatted("")), Map.of("device_id", "d1",
                "common_name", "Gerät Zürich 7", "country", "DE"));
        assertThat(findings).extracting(Finding::code).containsExactly(TemplateLint.THING_NAME);
        assertThat(findings.get(0).value()).isEqualTo("Gerät Zürich 7");
    }

    @Test
    void badJsonIsReportedWithAwsWording() {
        TemplateCheck check = TemplateLint.check("t.json", "{\"Resources\": {\"thing\": }");
        assertThat(check.template()).isEmpty();
        assertThat(check.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(TemplateLint.JSON);
            assertThat(f.message()).startsWith("InvalidRequestException: Invalid registration template. Template format "
                    + "error: JSON not well-formed.").contains("line 1");
        });
        assertThat(TemplateLint.check("t.json", "{} {}").findings()).extracting(Finding::code).containsExactly(TemplateLint.JSON);
    }

    @Test
    void oversizeTemplateIsRefusedAndMinifyingIsSuggestedWhenItFits() {
        String padded = JITP.formatted("").replace("{\"Parameters\"", "{" + " ".repeat(10_300) + "\"Parameters\"");
        List<Finding> findings = TemplateLint.check("t.json", padded).findings();
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(TemplateLint.SIZE);
            assertThat(f.message()).contains("at most 10240");
            assertThat(f.fix()).contains("minified");
        });
        assertThat(TemplateLint.check("t.json", JITP.formatted("")).findings()).isEmpty();
    }

    @Test
    void unknownResourceTypesPropertiesAndOverridesAreErrors() {
        TemplateCheck check = TemplateLint.check("t.json", """
                {"Resources": {
                   "a": {"Type": "AWS::IoT::Gizmo"},
                   "b": {"Type": "AWS::IoT::Thing", "Properties": {"ThingNam": "x"},
                         "OverrideSettings": {"ThingTypeName": "MERGE", "AttributePayload": "SMASH"}},
                   "c": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": "1", "CertificatePem": "p"}},
                   "d": {"Type": "AWS::IoT::Policy", "Properties": {}},
                   "e": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "bad name"}}}}
                """);
        assertThat(check.findings()).filteredOn(Finding::isError).extracting(Finding::code, Finding::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(TemplateLint.RESOURCE_TYPE, "Resources.a.Type"),
                org.assertj.core.groups.Tuple.tuple(TemplateLint.PROPERTY, "Resources.b.Properties.ThingNam"),
                org.assertj.core.groups.Tuple.tuple(TemplateLint.OVERRIDE_SETTINGS, "Resources.b.OverrideSettings.ThingTypeName"),
                org.assertj.core.groups.Tuple.tuple(TemplateLint.OVERRIDE_SETTINGS, "Resources.b.OverrideSettings.AttributePayload"),
                org.assertj.core.groups.Tuple.tuple(TemplateLint.CERTIFICATE_SOURCE, "Resources.c.Properties"),
                org.assertj.core.groups.Tuple.tuple(TemplateLint.POLICY, "Resources.d.Properties"),
                org.assertj.core.groups.Tuple.tuple(TemplateLint.THING_NAME, "Resources.e.Properties.ThingName"));
        assertThat(check.hasErrors()).isTrue();
    }

    @Test
    void undeclaredReferencesAreWarnedAboutOnce() {
        TemplateCheck check = TemplateLint.check("t.json", """
                {"Resources": {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "ThingName"},
                   "AttributePayload": {"again": {"Ref": "ThingName"}}}}}}
                """);
        assertThat(check.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo(TemplateLint.UNDECLARED_PARAMETER);
            assertThat(f.isError()).isFalse();
        });
    }

    @Test
    void repairGivesTheIntendedDefaultOrDropsAnAttributeReference() {
        ProvisioningTemplate t = template(JITP.formatted(""));
        TemplateRepair.Repair withValue = TemplateRepair.repair(t, List.of("AWS::IoT::Certificate::Country"),
                Map.of("AWS::IoT::Certificate::Country", "US"));
        assertThat(withValue.corrected().orElseThrow().at("/Parameters/AWS::IoT::Certificate::Country/Default").stringValue())
                .isEqualTo("US");
        TemplateRepair.Repair dropped = TemplateRepair.repair(t, List.of("AWS::IoT::Certificate::Country"), Map.of());
        var json = dropped.corrected().orElseThrow();
        assertThat(json.at("/Resources/thing/Properties/AttributePayload").has("country")).isFalse();
        assertThat(json.at("/Parameters").has("AWS::IoT::Certificate::Country")).isFalse();
        TemplateRepair.Repair stuck = TemplateRepair.repair(t, List.of("AWS::IoT::Certificate::CommonName"), Map.of());
        assertThat(stuck.corrected()).isEmpty();
        assertThat(stuck.left()).singleElement().asString().contains("ThingName").contains("Default");
    }
}
