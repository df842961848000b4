package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.lint.CertificateFiles;
import dev.keyline.lint.CertificateSubject;
import dev.keyline.lint.ReferenceCheck;
import dev.keyline.lint.TemplateLint;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import dev.keyline.testing.CommandOutput;

/**
 * {@code keyline doctor} on a certificate made by the very command of the field case:
 * {@code openssl req -x509 ... -subj "/CN=testThing\C=US"}. OpenSSL 3 is on every development and CI machine; its
 * absence fails these tests.
 */
class DoctorCommandTest {

    @TempDir
    Path dir;
    Path cert;

    @BeforeEach
    void makeTheFieldCaseWithOpenSsl() throws Exception {
        cert = dir.resolve("c.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("k.pem").toString(), "-out", cert.toString(), "-subj", "/CN=testThing\\C=US",
                "-days", "1");
    }

    @Test
    void explainsTheBackslashAndPrintsTheCorrectedCommand() {
        CommandOutput result = CommandOutput.run("doctor", cert.toString());
        assertThat(result.out())
                .contains("AWS::IoT::Certificate::CommonName              testThingC\\=US")
                .contains("AWS::IoT::Certificate::Country                 (absent)")
                .contains("CN contains `C=US`: OpenSSL's -subj separates with `/`; a `\\` escapes the next character")
                .contains("openssl req -new -key device.key -subj \"/CN=testThing/C=US\" -out device.csr")
                .contains("ok       key EC P-256: accepted by AWS IoT")
                .contains("certificate.basic-constraints")
                .contains("certificate.validity");
        // A malformed name alone fails nothing at AWS: warnings, exit 0.
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void withATemplateReferencingCountryShowsTheUnresolvedReferenceAndACorrectedTemplate() throws IOException {
        Path template = dir.resolve("t.json");
        Files.writeString(template, LintCommandTest.JITP);
        CommandOutput result = CommandOutput.run("doctor", cert.toString(), "--template", template.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out())
                .contains("resolves       AWS::IoT::Certificate::CommonName = testThingC\\=US")
                .contains("DOES NOT       AWS::IoT::Certificate::Country")
                .contains("InvalidRequestException: Invalid registration template. Cannot resolve reference value: "
                        + "{Ref=AWS::IoT::Certificate::Country}")
                .contains("if the device cannot be changed, change the template instead:")
                .contains("corrected template:")
                .contains("\"Default\" : \"US\"")
                .contains("verdict: WOULD FAIL");
    }

    @Test
    void theCorrectedTemplateResolvesForTheSameCertificate() throws IOException {
        Path template = dir.resolve("t.json");
        Files.writeString(template, LintCommandTest.JITP);
        CommandOutput result = CommandOutput.run("doctor", cert.toString(), "--template", template.toString(),
                "--format", "json");
        JsonNode json = JsonMapper.builder().build().readTree(result.out());
        JsonNode c = json.get("certificates").get(0);
        assertThat(json.get("ok").booleanValue()).isFalse();
        assertThat(c.at("/awsValues/AWS::IoT::Certificate::CommonName").stringValue()).isEqualTo("testThingC\\=US");
        assertThat(c.get("correctedCommand").stringValue()).contains("-subj \"/CN=testThing/C=US\"");
        JsonNode corrected = c.get("correctedTemplate");
        assertThat(corrected.at("/Parameters/AWS::IoT::Certificate::Country/Default").stringValue()).isEqualTo("US");

        var recheck = TemplateLint.check("corrected.json", corrected.toString());
        assertThat(recheck.findings()).isEmpty();
        var subject = CertificateSubject.of(org.bouncycastle.asn1.x500.X500Name.getInstance(
                CertificateFiles.read(cert).get(0).getSubjectX500Principal().getEncoded()));
        assertThat(ReferenceCheck.resolve(recheck.template().orElseThrow(), subject))
                .allMatch(ReferenceCheck.Resolution::resolved);
    }

    @Test
    void checksTheChainAgainstTheGivenCa() throws Exception {
        assertThat(CommandOutput.run("doctor", cert.toString(), "--ca", cert.toString()).out())
                .contains("chain: verified against CN=testThingC\\=US");
        Path other = dir.resolve("other.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("o.pem").toString(), "-out", other.toString(), "-subj", "/CN=Other CA", "-days", "1");
        CommandOutput result = CommandOutput.run("doctor", cert.toString(), "--ca", other.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.out()).contains("certificate.chain").contains("does not chain to the given CA");
    }

    @Test
    void readsDerAndManyPemCertificatesPerFile() throws Exception {
        Path der = dir.resolve("c.der");
        openssl("x509", "-in", cert.toString(), "-outform", "DER", "-out", der.toString());
        Path two = dir.resolve("two.pem");
        Files.writeString(two, Files.readString(cert) + Files.readString(cert));
        CommandOutput result = CommandOutput.run("doctor", der.toString(), two.toString());
        assertThat(result.out()).contains("== " + der).contains("== " + two + "#1").contains("== " + two + "#2");
        assertThat(CommandOutput.run("doctor", dir.resolve("k.pem").toString()).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    static String openssl(String... args) throws Exception {
        String openssl = dev.keyline.testing.OpenSslAvailability.require().toString();
        List<String> command = new ArrayList<>(List.of(openssl));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        assertThat(p.exitValue()).as("openssl " + String.join(" ", args) + "\n" + output).isZero();
        return output;
    }
}
