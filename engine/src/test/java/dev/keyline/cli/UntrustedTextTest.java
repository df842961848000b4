package dev.keyline.cli;

import static dev.keyline.testing.HostileText.BEL;
import static dev.keyline.testing.HostileText.CSI;
import static dev.keyline.testing.HostileText.ESC;
import static dev.keyline.testing.HostileText.FORMULA;
import static dev.keyline.testing.HostileText.NUL;
import static dev.keyline.testing.HostileText.RLO;
import static dev.keyline.testing.HostileText.assertInert;
import static dev.keyline.testing.HostileText.assertInertLog;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.IndependentVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import dev.keyline.testing.CommandOutput;
import dev.keyline.testing.CliCa;

/**
 * Manifest and certificate text with escape sequences, NUL, BEL, C1, bidi overrides and spreadsheet formulas:
 * whatever Keyline writes of it (rejects.csv, manifest.csv, console, log, lint, doctor) shows it and obeys none.
 */
class UntrustedTextTest {

    @TempDir
    Path dir;
    Path ca;
    Path passphrase;

    @BeforeEach
    void createCa() throws IOException {
        CliCa made = CliCa.create(dir);
        ca = made.folder();
        passphrase = made.passphraseFile();
    }

    /** One hostile value per row, in the device id and in the other columns; the line of each is its index + 2. */
    private Path hostileManifest() throws IOException {
        List<List<String>> rows = List.of(
                List.of("evil" + ESC + "[31m", "", "", "", ""),
                List.of("nul" + NUL + "x", "", "", "", ""),
                List.of(FORMULA, "", "", "", ""),
                List.of("+SUM(1)", "", "", "", ""),
                List.of("@SUM(1)", "", "", "", ""),
                List.of("-dev", "", "", "", ""),
                List.of("bel-cn", "bell" + BEL, "", "", ""),
                List.of("csi-cn", CSI + "2J", "", "", ""),
                List.of("bidi-l", "", "", RLO + "txt.exe", ""),
                List.of("formula-thing", "", "", "", "=thing"),
                List.of("-dev", "", "", "", ""),
                List.of("ok-1", "", "Acme", "", ""),
                List.of("nl-org", "", "Acme" + '\n' + "forged line", "", ""));
        StringBuilder csv = new StringBuilder("device_id,common_name,organization,locality,thing_name\n");
        for (List<String> row : rows) {
            csv.append(row.stream().map(v -> "\"" + v.replace("\"", "\"\"") + "\"").collect(Collectors.joining(","))).append('\n');
        }
        // The file's name reaches the job parameters, and so the log.
        Path file = dir.resolve("hostile-" + ESC + "[31m" + RLO + ".csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void aRunOfAHostileManifestWritesRejectsManifestConsoleAndLogInert() throws Exception {
        // The output folder's name too: the summary names the files in it. (Not '[' or '(': the log's rolling file
        // pattern is a regular expression built from the path; not ';': H2's URL separator.)
        Path out = dir.resolve("out-" + ESC + "7" + BEL + RLO);
        CommandOutput result = CommandOutput.run("run", hostileManifest().toString(), "--ca", ca.toString(), "--out",
                out.toString(), "--passphrase-file", passphrase.toString(), "--no-progress");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("out-\\u001B7\\u0007\\u202E");
        assertInert("stdout", result.out());
        assertInert("stderr", result.err());

        String rejectsText = Files.readString(out.resolve("rejects.csv"), StandardCharsets.UTF_8);
        assertInert("rejects.csv", rejectsText);
        Map<String, CSVRecord> rejects = readCsv(out.resolve("rejects.csv")).stream()
                .collect(Collectors.toMap(r -> r.get("line"), Function.identity()));
        for (CSVRecord r : rejects.values()) {
            for (String cell : List.of(r.get("device_id"), r.get("reason"))) {
                assertThat(cell).as("a cell that a spreadsheet would evaluate").doesNotStartWith("=")
                        .doesNotStartWith("+").doesNotStartWith("-").doesNotStartWith("@");
            }
        }
        // Escaped values stay readable in the reason, and the escaping is what the README says.
        assertThat(rejects.get("2").get("device_id")).isEqualTo("evil\\u001B[31m");
        assertThat(rejects.get("2").get("reason")).contains("device_id 'evil\\u001B[31m'");
        assertThat(rejects.get("3").get("device_id")).isEqualTo("nul\\u0000x");
        assertThat(rejects.get("4").get("device_id")).isEqualTo("'" + FORMULA);
        assertThat(rejects.get("5").get("device_id")).isEqualTo("'+SUM(1)");
        assertThat(rejects.get("6").get("device_id")).isEqualTo("'@SUM(1)");
        assertThat(rejects.get("11").get("reason")).contains("thing_name '=thing'");
        assertThat(rejects.get("12").get("device_id")).as("a repeated device id").isEqualTo("'-dev");

        String manifestText = Files.readString(out.resolve("manifest.csv"), StandardCharsets.UTF_8);
        assertInert("manifest.csv", manifestText);
        List<CSVRecord> issued = readCsv(out.resolve("manifest.csv"));
        assertThat(issued).extracting(r -> r.get("device_id")).contains("-dev", "ok-1").doesNotContain("'-dev");
        X509Certificate root = IndependentVerifier.readCertificate(ca.resolve("ca.crt.pem"));
        for (CSVRecord row : issued) {
            for (String cell : row.values()) {
                assertThat(cell).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("@");
            }
            IndependentVerifier.validateWithJdk(
                    IndependentVerifier.readCertificate(out.resolve(row.get("bundle_path")).resolve("device.crt.pem")),
                    List.of(), root);
        }

        String log = Files.readString(out.resolve(".keyline/keyline.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("hostile-\\u001B[31m\\u202E.csv");
        assertInertLog("keyline.log", log);
    }

    @Test
    void aManifestErrorNamesTheHostileColumnInertly() throws IOException {
        Path manifest = dir.resolve("bad-header.csv");
        Files.writeString(manifest, "device_id,evil" + ESC + "]0;pwned" + BEL + "\nd1,x\n");
        CommandOutput result = CommandOutput.run("run", manifest.toString(), "--ca", ca.toString(), "--out",
                dir.resolve("out").toString(), "--passphrase-file", passphrase.toString(), "--no-progress");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("evil\\u001B]0;pwned\\u0007");
        assertInert("stderr", result.err());
        assertInert("stdout", result.out());
    }

    @Test
    void lintShowsHostileValuesInertInTextAndJson() throws IOException {
        Path manifest = hostileManifest();
        CommandOutput text = CommandOutput.run("lint", manifest.toString());
        assertThat(text.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(text.out()).contains("evil\\u001B[31m");
        assertInert("lint text", text.out());
        assertInert("lint stderr", text.err());

        CommandOutput json = CommandOutput.run("lint", manifest.toString(), "--format", "json");
        assertInert("lint json", json.out());
        // Machines still get the exact value back.
        JsonNode doc = JsonMapper.builder().build().readTree(json.out());
        List<String> deviceIds = new ArrayList<>();
        doc.get("findings").forEach(f -> deviceIds.add(f.get("deviceId").asString()));
        assertThat(deviceIds).contains("evil" + ESC + "[31m");
        assertThat(json.out()).doesNotContain(RLO);
    }

    @Test
    void doctorShowsAHostileSubjectInertInTextAndJson() throws Exception {
        Path cert = hostileCertificate("evil" + ESC + "[2J" + RLO + "gpj.exe", "Acme" + CSI + "31m");
        CommandOutput text = CommandOutput.run("doctor", cert.toString());
        assertThat(text.out()).contains("evil\\u001B[2J\\u202Egpj.exe");
        assertInert("doctor text", text.out());
        assertInert("doctor stderr", text.err());

        CommandOutput json = CommandOutput.run("doctor", cert.toString(), "--format", "json");
        assertInert("doctor json", json.out());
        JsonNode doc = JsonMapper.builder().build().readTree(json.out());
        assertThat(doc.at("/certificates/0/subject").asString()).contains("evil" + ESC + "[2J" + RLO);
    }

    /** A certificate made elsewhere (Bouncy Castle, not Keyline) whose CN and O carry control characters. */
    private Path hostileCertificate(String commonName, String organization) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        var name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).addRDN(BCStyle.O, organization).build();
        Instant now = Instant.now();
        var holder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
        IndependentVerifier.validateWithJdk(certificate, List.of(), certificate);
        Path file = dir.resolve("hostile.pem");
        try (JcaPEMWriter pem = new JcaPEMWriter(Files.newBufferedWriter(file))) {
            pem.writeObject(certificate);
        }
        return file;
    }

    private static List<CSVRecord> readCsv(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
        }
    }
}
