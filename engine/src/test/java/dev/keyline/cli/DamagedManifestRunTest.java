package dev.keyline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.testing.IndependentVerifier;
import dev.keyline.testing.ManifestFiles;
import dev.keyline.testing.CommandOutput;

/**
 * Manifests as they arrive from a line, damaged, through the real CLI: no content of a manifest ends a run with
 * exit 1. A bad row is a reject with its line and the batch goes on; a bad file is exit 2 before any key.
 */
class DamagedManifestRunTest {

    private static final String HEADER = "device_id,organization,country,common_name\n";

    @TempDir
    Path dir;
    Path ca;
    Path passphrase;

    @BeforeEach
    void createCa() throws IOException {
        passphrase = Files.writeString(dir.resolve("ca-pass.txt"), "manifest damage\n");
        ca = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Damage CA,O=Acme,C=DE", "--key", "ec-p256",
                "--out", ca.toString(), "--passphrase-file", passphrase.toString())).isZero();
    }

    private CommandOutput run(Path manifest, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", manifest.toString(), "--ca", ca.toString(), "--out",
                out.toString(), "--passphrase-file", passphrase.toString(), "--no-progress", "--threads", "2",
                "--chunk-size", "7"));
        args.addAll(List.of(extra));
        return CommandOutput.run(args.toArray(String[]::new));
    }

    private static String devices(int from, int to) {
        StringBuilder csv = new StringBuilder();
        for (int i = from; i <= to; i++) {
            csv.append("dev-").append(i).append(",Acme,DE,device ").append(i).append('\n');
        }
        return csv.toString();
    }

    @Test
    void aQuoteThatNeverClosesOnTheLastLinesIssuesEveryRowBeforeItAndRejectsTheRestOnce() throws Exception {
        // lines 2-31: devices; line 32 opens a quote that never closes; lines 33-37 are swallowed
        Path manifest = Files.writeString(dir.resolve("devices.csv"), HEADER + devices(1, 30) + "\"dev-9,,DE,x\n" + devices(31, 35));
        Path out = dir.resolve("out");

        CommandOutput result = run(manifest, out);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertIssuedAndVerified(out, 30);
        List<CSVRecord> rejects = readCsv(out.resolve("rejects.csv"));
        assertThat(rejects).hasSize(1);
        assertThat(rejects.get(0).get("line")).isEqualTo("32");
        assertThat(rejects.get(0).get("reason")).contains("a quoted value opened on line 32 is never closed")
                .contains("lines 32-37 were read as one value").contains("close the quote");
    }

    @Test
    void aQuoteLeftOpenMidFileRejectsTheRowsItSwallowedAsOneAndTheBatchGoesOn() throws Exception {
        Path manifest = Files.writeString(dir.resolve("devices.csv"), HEADER + devices(1, 10)
                + "dev-11,\"Acme,DE,x\n" + devices(12, 14) + "dev-15,\"Acme\",DE,x\n" + devices(16, 25));
        Path out = dir.resolve("out");

        CommandOutput result = run(manifest, out);

        assertThat(result.exitCode()).as(result.err()).isZero();
        List<CSVRecord> issued = assertIssuedAndVerified(out, 20);
        assertThat(issued).extracting(r -> r.get("device_id")).contains("dev-10", "dev-16", "dev-25")
                .doesNotContain("dev-11", "dev-12", "dev-15");
        List<CSVRecord> rejects = readCsv(out.resolve("rejects.csv"));
        assertThat(rejects).hasSize(1);
        assertThat(rejects.get(0).get("line")).isEqualTo("12");
        assertThat(rejects.get(0).get("reason")).contains("opened on line 12 runs to line 16");
    }

    @Test
    void aJsonLineBrokenAtAnEmojiIsARejectAndTheRunEndsWell() throws Exception {
        // Found by DamagedManifestPropertyTest: the parser's reason quoted half of the emoji, which rejects.csv
        // could not encode, so the run failed with exit 1 after issuing the other rows.
        Path manifest = Files.writeString(dir.resolve("devices.jsonl"), "{\"device_id\":\"dev-1\",\"organization\":\"Acme\"}\n"
                + "{\"device_id\":\"dev-2\"\uD83D\uDE00}\n{\"device_id\":\"dev-3\",\"organization\":\"Acme\"}\n");
        Path out = dir.resolve("out");

        CommandOutput result = run(manifest, out);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertIssuedAndVerified(out, 2);
        List<CSVRecord> rejects = readCsv(out.resolve("rejects.csv"));
        assertThat(rejects).extracting(r -> r.get("line")).containsExactly("2");
        assertThat(rejects.get(0).get("reason")).contains("not valid JSON").contains("\\uD83D");
    }

    @Test
    void aGzipManifestRunsLikeThePlainFileAndRunningItAgainFindsTheRunDone() throws Exception {
        Path manifest = ManifestFiles.gzip(dir.resolve("devices.csv.gz"), HEADER + devices(1, 12) + "dev-x,too,many,values,here\n"
                + "\n" + devices(13, 20));
        Path out = dir.resolve("out");

        CommandOutput result = run(manifest, out);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertIssuedAndVerified(out, 20);
        List<CSVRecord> rejects = readCsv(out.resolve("rejects.csv"));
        assertThat(rejects).extracting(r -> r.get("line")).containsExactly("14");
        CommandOutput again = run(manifest, out);
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("already issued");
    }

    @Test
    void aCutOffGzipIsExitTwoBeforeAnyKeyWithTheFix() throws Exception {
        // Long rows, so that the break lies past the first blocks the CLI's header check decodes: the scan finds it.
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= 1500; i++) {
            csv.append("dev-").append(i).append(",Acme Industrial Components and Assemblies Manufacturing Group,DE,d")
                    .append(i).append('\n');
        }
        byte[] whole = ManifestFiles.gzip(csv.toString().getBytes(StandardCharsets.UTF_8));
        Path manifest = Files.write(dir.resolve("devices.csv.gz"), Arrays.copyOf(whole, whole.length * 2 / 3));
        Path out = dir.resolve("out");

        CommandOutput result = run(manifest, out);

        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains("damaged or cut off after line").contains("compress the manifest again")
                .contains("before any key was made").doesNotContain("keyline restart");
        assertThat(bundles(out)).isEmpty();

        // The whole file, compressed again under the same name: the refused run held nothing, so this just runs.
        Files.write(manifest, whole);
        CommandOutput fixed = run(manifest, out);
        assertThat(fixed.exitCode()).as(fixed.err()).isZero();
        assertIssuedAndVerified(out, 1500);
    }

    @Test
    void aFolderAPipeAndAnEmptyFileAreExitTwoSayingWhatTheyAre() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder.csv"));
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        Path fifo = dir.resolve("pipe.csv");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

        CommandOutput onFolder = run(folder, dir.resolve("out"));
        CommandOutput onEmpty = run(empty, dir.resolve("out"));
        CommandOutput onPipe = run(fifo, dir.resolve("out"));

        assertThat(onFolder.exitCode()).isEqualTo(2);
        assertThat(onFolder.err()).contains("is a folder, not a manifest");
        assertThat(onEmpty.exitCode()).isEqualTo(2);
        assertThat(onEmpty.err()).contains("is empty (0 bytes)");
        assertThat(onPipe.exitCode()).isEqualTo(2);
        assertThat(onPipe.err()).contains("named pipe").contains("save it to a file first");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aHeaderOnlyManifestCompletesWithAWarning() throws Exception {
        Path manifest = Files.writeString(dir.resolve("devices.csv"), HEADER + "\n");

        CommandOutput result = run(manifest, dir.resolve("out"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("warning").contains("has no device rows");
    }

    @Test
    void aManifestChangedAfterAFailedRunIsExitTwoOnRestartAndRunSayingWhatToDo() throws Exception {
        Path manifest = dir.resolve("devices.csv");
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= 30; i++) {
            csv.append("dev-").append(i).append(i % 2 == 0 ? ",Acme,DE,x\n" : ",Acme,XX,x\n");
        }
        Files.writeString(manifest, csv);
        Path out = dir.resolve("out");
        CommandOutput failed = run(manifest, out, "--skip-limit", "3");
        assertThat(failed.exitCode()).as(failed.err()).isEqualTo(1);
        long issuedBefore = readCsv(out.resolve("manifest.csv")).size();
        Files.writeString(manifest, HEADER + devices(1, 30));

        CommandOutput restart = CommandOutput.run("restart", "--out", out.toString(), "--passphrase-file",
                passphrase.toString(), "--no-progress");
        assertThat(restart.exitCode()).isEqualTo(2);
        assertThat(restart.err()).contains("changed since run 1 started").contains("restore the original file to resume run 1")
                .contains("--new-run");
        CommandOutput rerun = run(manifest, out);
        assertThat(rerun.exitCode()).isEqualTo(2);
        assertThat(rerun.err()).contains("changed since run 1 started").contains("keyline restart --out " + out);
        assertThat(readCsv(out.resolve("manifest.csv"))).hasSize((int) issuedBefore);

        CommandOutput newRun = run(manifest, out, "--new-run");
        assertThat(newRun.exitCode()).as(newRun.err()).isZero();
        assertIssuedAndVerified(out, 30);
    }

    private List<CSVRecord> assertIssuedAndVerified(Path out, int devices) throws Exception {
        List<CSVRecord> rows = readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(devices);
        X509Certificate root = IndependentVerifier.readCertificate(ca.resolve("ca.crt.pem"));
        List<Path> pems = new ArrayList<>();
        for (CSVRecord row : rows) {
            Path pem = out.resolve(row.get("bundle_path")).resolve("device.crt.pem");
            X509Certificate certificate = IndependentVerifier.readCertificate(pem);
            IndependentVerifier.validateWithJdk(certificate, List.of(), root);
            assertThat(certificate.getSubjectX500Principal().getName()).contains("O=Acme");
            pems.add(pem);
        }
        IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, pems);
        return rows;
    }

    private static List<Path> bundles(Path out) throws IOException {
        Path bundles = out.resolve("bundles");
        if (!Files.isDirectory(bundles)) {
            return List.of();
        }
        try (var files = Files.list(bundles)) {
            return files.toList();
        }
    }

    private static List<CSVRecord> readCsv(Path file) throws IOException {
        try (var parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(file))) {
            return parser.getRecords();
        }
    }
}
