package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.cli.Keyline;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.testing.CliCa;

/** {@code keyline run --template} and {@code --cn-to-san}: lint before signing, through the real CLI. */
class RunTemplateTest {

    static final String JITP = """
            {"Parameters": {"AWS::IoT::Certificate::Country": {"Type": "String"},
                            "AWS::IoT::Certificate::Id": {"Type": "String"}},
             "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "ThingName"},
                               "AttributePayload": {"country": {"Ref": "AWS::IoT::Certificate::Country"}}}},
                           "certificate": {"Type": "AWS::IoT::Certificate", "Properties": {
                               "CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}}}}
            """;

    @TempDir
    Path dir;
    Path ca;
    Path passphrase;
    Path template;

    @BeforeEach
    void createCaAndTemplate() throws IOException {
        CliCa made = CliCa.create(dir);
        ca = made.folder();
        passphrase = made.passphraseFile();
        template = dir.resolve("t.json");
        Files.writeString(template, JITP);
    }

    private int run(Path manifest, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", manifest.toString(), "--ca", ca.toString(), "--out",
                out.toString(), "--passphrase-file", passphrase.toString(), "--no-progress", "--threads", "1"));
        args.addAll(List.of(extra));
        return Keyline.execute(args.toArray(String[]::new));
    }

    @Test
    void rejectsTheDeviceThatWouldFailInAwsAndIssuesTheRest() throws Exception {
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, "device_id,country\nwith-1,US\nno-country,\nwith-2,DE\n");
        Path out = dir.resolve("out");
        assertThat(run(manifest, out, "--template", template.toString())).isZero();

        Map<String, CSVRecord> rejects = csv(out.resolve("rejects.csv")).stream()
                .collect(Collectors.toMap(r -> r.get("device_id"), r -> r));
        assertThat(rejects).containsOnlyKeys("no-country");
        assertThat(rejects.get("no-country").get("line")).isEqualTo("3");
        assertThat(rejects.get("no-country").get("reason")).contains("[template.unresolved-reference]")
                .contains("Cannot resolve reference value: {Ref=AWS::IoT::Certificate::Country}");
        assertThat(out.resolve("bundles/no-country")).doesNotExist();

        List<CSVRecord> issued = csv(out.resolve("manifest.csv"));
        assertThat(issued).extracting(r -> r.get("device_id")).containsExactlyInAnyOrder("with-1", "with-2");
        X509Certificate root = IndependentVerifier.readCertificate(ca.resolve("ca.crt.pem"));
        List<Path> pems = new ArrayList<>();
        for (CSVRecord row : issued) {
            Path pem = out.resolve(row.get("bundle_path")).resolve("device.crt.pem");
            pems.add(pem);
            IndependentVerifier.validateWithJdk(IndependentVerifier.readCertificate(pem), List.of(), root);
        }
        IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, pems);
    }

    @Test
    void templateAndCnToSanAreNonIdentifyingJobParametersThatARestartReadsBack() {
        RunRequest plain = RunRequest.builder(dir.resolve("m.csv"), "00", dir.resolve("out"), "id", ca).build();
        RunRequest request = plain.toBuilder().template(Optional.of(template)).cnToSan(true).build();
        var parameters = request.toJobParameters();
        assertThat(parameters.getParameter(JobParameterNames.TEMPLATE).identifying()).isFalse();
        assertThat(parameters.getParameter(JobParameterNames.CN_TO_SAN).identifying()).isFalse();
        RunRequest back = RunRequest.of(parameters);
        assertThat(back.template()).contains(template.toAbsolutePath().normalize());
        assertThat(back.cnToSan()).isTrue();
        assertThat(RunRequest.of(plain.toJobParameters()).template()).isEmpty();
    }

    @Test
    void invalidTemplateStopsTheRunBeforeAnyKey() throws IOException {
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, "device_id,country\nd1,US\n");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"Resources\": {\"x\": {\"Type\": \"AWS::IoT::Gizmo\"}}}");
        Path out = dir.resolve("out");
        assertThat(run(manifest, out, "--template", broken.toString())).isEqualTo(2);
        assertThat(out.resolve("bundles")).doesNotExist();
    }

    @Test
    void cnToSanPutsAHostNameCnIntoTheSubjectAltName() throws Exception {
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, "device_id,common_name,country\nd1,d1.example.com,US\n");
        Path out = dir.resolve("out");
        assertThat(run(manifest, out, "--cn-to-san")).isZero();
        Path pem = out.resolve(csv(out.resolve("manifest.csv")).get(0).get("bundle_path")).resolve("device.crt.pem");
        X509Certificate cert = IndependentVerifier.readCertificate(pem);
        IndependentVerifier.validateWithJdk(cert, List.of(), IndependentVerifier.readCertificate(ca.resolve("ca.crt.pem")));
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(List.of(2, "d1.example.com"));
        assertThat(IndependentVerifier.openssl("x509", "-in", pem.toString(), "-noout", "-ext", "subjectAltName"))
                .contains("DNS:d1.example.com");
    }

    private static List<CSVRecord> csv(Path file) throws IOException {
        try (var reader = Files.newBufferedReader(file)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
        }
    }
}
