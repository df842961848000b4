package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import dev.keyline.testing.CommandOutput;

/** {@code keyline lint} end to end through the real command line. */
class LintCommandTest {

    static final String JITP = """
            {"Parameters": {"AWS::IoT::Certificate::CommonName": {"Type": "String"},
                            "AWS::IoT::Certificate::Country": {"Type": "String"},
                            "AWS::IoT::Certificate::Id": {"Type": "String"}},
             "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {
                               "ThingName": {"Ref": "AWS::IoT::Certificate::CommonName"},
                               "AttributePayload": {"country": {"Ref": "AWS::IoT::Certificate::Country"}}}},
                           "certificate": {"Type": "AWS::IoT::Certificate", "Properties": {
                               "CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}}}}
            """;

    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void cleanManifestExitsZeroEvenWithWarnings() throws IOException {
        Path manifest = file("m.csv", "device_id,common_name,country\nd1,d1,US\nd2,d2.example.com,US\n");
        CommandOutput result = CommandOutput.run("lint", manifest.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("line 3  d2").contains("warning  subject.cn-not-in-san")
                .contains("Checked 2 devices: 0 with errors").contains("OK: nothing would fail.");
        assertThat(CommandOutput.run("lint", manifest.toString(), "--cn-to-san").out()).doesNotContain("cn-not-in-san");
    }

    @Test
    void findingsExitOneAndTheJsonDocumentParsesBack() throws IOException {
        Path manifest = file("m.csv", "device_id,subject\nok-1,/C=US/CN=ok-1\ntestThing,/CN=testThing\\C=US\nlow,/C=us/CN=low\n");
        Path template = file("t.json", JITP);
        CommandOutput result = CommandOutput.run("lint", manifest.toString(), "--template", template.toString(),
                "--format", "json");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        JsonNode json = JsonMapper.builder().build().readTree(result.out());
        assertThat(json.get("ok").booleanValue()).isFalse();
        assertThat(json.at("/counts/rows").longValue()).isEqualTo(3);
        assertThat(json.at("/counts/devicesWithErrors").longValue()).isEqualTo(2);
        assertThat(json.at("/counts/errors").longValue()).isEqualTo(2);
        JsonNode first = json.get("findings").get(0);
        assertThat(first.get("line").longValue()).isEqualTo(3);
        assertThat(first.get("deviceId").stringValue()).isEqualTo("testThing");
        assertThat(first.get("severity").stringValue()).isEqualTo("error");
        assertThat(first.get("code").stringValue()).isEqualTo("subject.embedded-attribute");
        assertThat(first.get("field").stringValue()).isEqualTo("CN");
        assertThat(first.get("value").stringValue()).isEqualTo("testThingC=US");
        assertThat(first.get("fix").stringValue()).contains("-subj \"/CN=testThing/C=US\"");
        assertThat(json.get("findings").get(1).get("code").stringValue()).isEqualTo("subject.country-code");
    }

    @Test
    void templateReferenceTheManifestCannotFillIsAnError() throws IOException {
        Path manifest = file("m.csv", "device_id,country\nwith-c,US\nwithout-c,\n");
        Path template = file("t.json", JITP);
        CommandOutput result = CommandOutput.run("lint", manifest.toString(), "--template", template.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out()).doesNotContain("with-c\n").contains("line 3  without-c")
                .contains("InvalidRequestException: Invalid registration template. Cannot resolve reference value: "
                        + "{Ref=AWS::IoT::Certificate::Country}");
        Path fixed = file("fixed.json", JITP.replace("\"AWS::IoT::Certificate::Country\": {\"Type\": \"String\"}",
                "\"AWS::IoT::Certificate::Country\": {\"Type\": \"String\", \"Default\": \"US\"}"));
        assertThat(CommandOutput.run("lint", manifest.toString(), "--template", fixed.toString()).exitCode()).isZero();
    }

    @Test
    void brokenTemplateIsAFindingOfLintNotAUsageError() throws IOException {
        Path manifest = file("m.csv", "device_id\nd1\n");
        Path template = file("t.json", "{\"Resources\": ");
        CommandOutput result = CommandOutput.run("lint", manifest.toString(), "--template", template.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out()).contains("Template format error: JSON not well-formed.");
    }

    @Test
    void caSubjectIsReadWithoutAPassphrase() throws IOException {
        Path pass = file("pass.txt", "correct horse battery staple\n");
        Path ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Lint CA,O=Acme,C=US", "--key", "ec-p256",
                "--out", ca.toString(), "--passphrase-file", pass.toString())).isZero();
        Path manifest = file("m.csv", "device_id,subject\nd1,\"CN=Lint CA,O=Acme,C=US\"\nd2,\"CN=d2,O=Acme,C=US\"\n");
        CommandOutput result = CommandOutput.run("lint", manifest.toString(), "--ca", ca.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out()).contains("line 2  d1").contains("subject.equals-issuer").doesNotContain("line 3");
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        assertThat(CommandOutput.run("lint", dir.resolve("missing.csv").toString()).exitCode()).isEqualTo(ExitCodes.USAGE);
        Path manifest = file("m.csv", "device_id,colour\nd1,red\n");
        CommandOutput unknownColumn = CommandOutput.run("lint", manifest.toString());
        assertThat(unknownColumn.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownColumn.err()).contains("colour");
        assertThat(CommandOutput.run("lint", manifest.toString(), "--format", "xml").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void helpSaysWarningsDoNotFail() {
        CommandOutput help = CommandOutput.run("lint", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("warnings are allowed").contains("--template").contains("--cn-to-san");
    }
}
