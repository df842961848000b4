package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.bundle.BundleLayout;
import dev.keyline.bundle.BundleOptions;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.ManifestChunk;
import dev.keyline.ledger.RegistrationRecord;
import dev.keyline.ledger.RegistrationStatus;
import dev.keyline.output.ManifestRowsWriter;
import dev.keyline.output.OutputExporter;
import dev.keyline.testing.CliCa;
import dev.keyline.testing.Csrs;
import dev.keyline.testing.ExportEquivalence;
import dev.keyline.testing.RunRequests;
import dev.keyline.x509.CertificateProfile;

/**
 * The output manifest merged from the rows each chunk wrote at its commit is, byte for byte, the one the export read
 * back from the ledger before: over several runs into one output, rejected rows, CSR devices, a manifest in random
 * device id order (every chunk spans the whole range, so the merge groups files first), registration outcomes of
 * several targets, and a run that failed and was restarted. A row file that is damaged or missing sends the export
 * back to the ledger, with the same bytes.
 */
class ManifestRowFilesTest {

    private static final String OUTPUT = "output-1";

    @TempDir
    Path dir;

    @Test
    void severalRunsWithRejectsCsrsAndRegistrationsMergeToTheLedgersExport() throws Exception {
        CliCa ca = CliCa.create(dir);
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve(".keyline"));
        List<String> ids = shuffledIds(400);
        Path first = manifest("first.csv", ids.subList(0, 330), true);
        // The second run: devices of the first (skipped) and new ones.
        Path second = manifest("second.csv", ids.subList(300, 400), false);

        try (Provisioning provisioning = Provisioning.open(Database.embedded(out), out.resolve(".keyline/keyline.log"), 2,
                kits(ca))) {
            Ledger ledger = provisioning.ledger();
            RunState run = provisioning.start(RunRequests.twoPartitions(first, out, ca.folder()).chunkSize(3).build());
            assertThat(run.completed()).as(run.exitDescription()).isTrue();
            assertThat(provisioning.committed(run.instanceId()).rejected()).as("the bad rows").isEqualTo(3);
            // 330 rows in random order in chunks of 3: over 100 files whose ranges overlap, more than one merge reads at once.
            assertThat(ledger.manifestChunks().manifestChunks(OUTPUT)).hasSizeGreaterThan(100);
            assertThat(ExportEquivalence.assertRowFilesGiveTheLedgersExport(ledger, out, OUTPUT, dir.resolve("ledger-1")))
                    .isEqualTo(332);
            assertThat(out.resolve(ManifestRowsWriter.FOLDER)).isDirectoryNotContaining(p -> p.getFileName().toString()
                    .startsWith(".merge"));

            RunState again = provisioning.start(RunRequests.twoPartitions(second, out, ca.folder()).chunkSize(7).build());
            assertThat(again.completed()).isTrue();
            assertThat(ExportEquivalence.assertRowFilesGiveTheLedgersExport(ledger, out, OUTPUT, dir.resolve("ledger-2")))
                    .isEqualTo(402);

            // Outcomes of two targets, as the register step records them, and one of a device the output lacks.
            List<RegistrationRecord> outcomes = new ArrayList<>();
            Instant now = Instant.now();
            for (int i = 0; i < 60; i += 2) {
                String device = ids.get(i);
                outcomes.add(new RegistrationRecord(OUTPUT, device, "prod-b", RegistrationStatus.REGISTERED,
                        Optional.of("arn:aws:iot:eu-west-1:111122223333:cert/" + i), Optional.of("arn:aws:iot:eu-west-1:"
                        + "111122223333:thing/" + device), Optional.empty(), Optional.empty(), 1, now));
                if (i % 3 == 0) {
                    outcomes.add(new RegistrationRecord(OUTPUT, device, "prod-a", RegistrationStatus.FAILED, Optional.empty(),
                            Optional.empty(), Optional.of("ThrottlingException"), Optional.of("rate, \"exceeded\""), 1, now));
                }
            }
            outcomes.add(new RegistrationRecord(OUTPUT, "zz-not-in-the-output", "prod-a", RegistrationStatus.REGISTERED,
                    Optional.of("arn:x"), Optional.of("arn:y"), Optional.empty(), Optional.empty(), 1, now));
            ledger.registrations().recordRegistrations(outcomes);
            Files.delete(out.resolve(OutputExporter.MANIFEST_CSV)); // as the run wrote them: before these registrations
            assertThat(ExportEquivalence.assertRowFilesGiveTheLedgersExport(ledger, out, OUTPUT, dir.resolve("ledger-3")))
                    .isEqualTo(402);
            String header = Files.readAllLines(out.resolve(OutputExporter.MANIFEST_CSV)).get(0);
            assertThat(header).endsWith(",prod-a_certificate_arn,prod-a_thing_arn,prod-a_status,prod-b_certificate_arn,"
                    + "prod-b_thing_arn,prod-b_status");
            long pendingAfterRows = ledger.pendingRegistrations().countPendingRegistrations(OUTPUT, "prod-b", true);
            new OutputExporter(ledger, out).exportIssuedFromLedger(OUTPUT);
            assertThat(pendingAfterRows).as("the registration summary both exports record")
                    .isEqualTo(ledger.pendingRegistrations().countPendingRegistrations(OUTPUT, "prod-b", true)).isEqualTo(402 - 1 - 30);

            // A damaged row file (same size) and a missing record send the export back to the ledger.
            Path reference = dir.resolve("ledger-3");
            ManifestChunk some = ledger.manifestChunks().manifestChunks(OUTPUT).get(5);
            Path damaged = out.resolve(some.path());
            byte[] bytes = Files.readAllBytes(damaged);
            for (int i = 5; i < 40; i++) {
                bytes[i] = (byte) 0xff;
            }
            Files.write(damaged, bytes);
            assertThatThrownBy(() -> new OutputExporter(ledger, out).exportIssuedFromRowFiles(OUTPUT))
                    .isInstanceOf(OutputExporter.RowFilesUnusableException.class).hasMessageContaining(some.path());
            new OutputExporter(ledger, out).exportIssued(OUTPUT);
            assertSameFiles(out, reference);
            Files.delete(damaged);
            new OutputExporter(ledger, out).exportIssued(OUTPUT);
            assertSameFiles(out, reference);
        }
    }

    @Test
    void aFailedRunAndItsRestartMergeToTheLedgersExportInTheArchiveLayout() throws Exception {
        CliCa cli = CliCa.create(dir);
        CertificateAuthority ca = cli.authority();
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve(".keyline"));
        Path manifest = manifest("m.csv", shuffledIds(300), false);
        AtomicInteger budget = new AtomicInteger(120);
        IssuanceKit flaky = new IssuanceKit(new CertificateAuthority(ca.certificate(), ca.chain(),
                new FailingSigner(ca.signer(), budget)), CertificateProfile.defaults(), new SoftwareKeySource(),
                new BundleOptions(out, Optional.empty(), false).withLayout(BundleLayout.ARCHIVE), Optional.empty());
        try (Provisioning provisioning = Provisioning.open(Database.embedded(out), out.resolve(".keyline/keyline.log"), 2,
                settings -> flaky)) {
            RunRequest request = RunRequests.twoPartitions(manifest, out, cli.folder()).chunkSize(10)
                    .bundleLayout(BundleLayout.ARCHIVE).build();
            RunState failed = provisioning.start(request);
            assertThat(failed.completed()).isFalse();
            long committed = provisioning.committed(failed.instanceId()).issued();
            assertThat(committed).isBetween(1L, 299L);
            // The failed chunks' staged rows are gone with them; what the export of a failed run writes is the ledger's.
            provisioning.exportCommitted(out, OUTPUT, failed.instanceId());
            assertThat(ExportEquivalence.assertRowFilesGiveTheLedgersExport(provisioning.ledger(), out, OUTPUT,
                    dir.resolve("ledger-failed"))).isEqualTo(committed);

            budget.set(Integer.MAX_VALUE);
            RunState resumed = provisioning.restart(failed.executionId());
            assertThat(resumed.completed()).isTrue();
            assertThat(ExportEquivalence.assertRowFilesGiveTheLedgersExport(provisioning.ledger(), out, OUTPUT,
                    dir.resolve("ledger-restarted"))).isEqualTo(300);
            // An archived device's row carries no sums of the files in its archive (SHA256SUMS lists the archive):
            // the export above, from row files and from the ledger, is the same without them.
            List<String> sums = new ArrayList<>();
            provisioning.ledger().identities().forEachIssued(OUTPUT, e -> sums.add(e.bundleSums()));
            assertThat(sums).hasSize(300).containsOnly("");
            try (Stream<Path> left = Files.list(out.resolve(ManifestRowsWriter.FOLDER))) {
                assertThat(left.filter(p -> p.getFileName().toString().endsWith(".rows")).count())
                        .as("one row file per committed chunk, none left by the failed ones")
                        .isEqualTo(provisioning.ledger().manifestChunks().manifestChunks(OUTPUT).size());
            }
        }
        ProvisionRunTest.assertSha256SumsMatch(out);
    }

    @Test
    void aRowFilePublishedByAChunkThatNeverCommittedIsRemovedBeforeTheNextRun() throws Exception {
        CliCa ca = CliCa.create(dir);
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve(".keyline"));
        Path manifest = manifest("m.csv", shuffledIds(40), false);
        try (Provisioning provisioning = Provisioning.open(Database.embedded(out), out.resolve(".keyline/keyline.log"), 2,
                kits(ca))) {
            RunState run = provisioning.start(RunRequests.twoPartitions(manifest, out, ca.folder()).chunkSize(10).build());
            assertThat(run.completed()).as(run.exitDescription()).isTrue();
            Path orphan = out.resolve(ManifestRowsWriter.FOLDER).resolve("orphan.rows");
            Files.writeString(orphan, "rows of a chunk whose commit never came");
            Path staged = out.resolve(ManifestRowsWriter.FOLDER).resolve(".staging/chunk-1.rows");
            Files.writeString(staged, "half written");
            Path more = manifest("more.csv", List.of("late-1", "late-2"), false);
            assertThat(provisioning.start(RunRequests.twoPartitions(more, out, ca.folder()).build()).completed()).isTrue();
            assertThat(orphan).doesNotExist();
            assertThat(staged).doesNotExist();
            assertThat(ExportEquivalence.assertRowFilesGiveTheLedgersExport(provisioning.ledger(), out, OUTPUT,
                    dir.resolve("ledger"))).isEqualTo(42);
        }
    }

    /** The product's kits with the CA's passphrase file. */
    private static KitOpener kits(CliCa ca) {
        return new IssuanceKits(new RunSecrets(Optional.of(ca.passphraseFile()), Optional.empty(), Optional.empty(),
                java.util.Map.of()));
    }

    private static void assertSameFiles(Path a, Path b) throws IOException {
        for (String name : List.of(OutputExporter.MANIFEST_CSV, OutputExporter.MANIFEST_JSONL, OutputExporter.SHA256SUMS)) {
            assertThat(Files.readAllBytes(a.resolve(name))).as(name).isEqualTo(Files.readAllBytes(b.resolve(name)));
        }
    }

    /** Ids of every character the rule allows, in random order: byte order puts '-' < digits < ':' < upper < '_' < lower. */
    private static List<String> shuffledIds(int n) {
        String[] prefixes = {"dev-", "Dev_", "dev:", "-lead", "ZZ", "a_", "0x"};
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(prefixes[i % prefixes.length] + Integer.toString(i * 7919 % 10007, 36));
        }
        Collections.shuffle(ids, new Random(18));
        return ids;
    }

    /** Every device with a software key; with {@code damaged}, two CSR devices and three rows to reject. */
    private Path manifest(String name, List<String> ids, boolean damaged) throws IOException {
        StringWriter text = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.RFC4180.builder()
                .setHeader("device_id", "organization", "country", "csr", "accounts").get())) {
            for (int i = 0; i < ids.size(); i++) {
                String accounts = i % 4 == 0 ? "prod-b" : i % 4 == 1 ? "prod-a;prod-b" : "";
                csv.printRecord(ids.get(i), "Acme", "US", "", accounts);
            }
            if (damaged) {
                csv.printRecord("csr-one", "Acme", "US", Csrs.csr(dir, "one", "ec", "/CN=one"), "");
                csv.printRecord("csr-two", "Acme", "US", Csrs.csr(dir, "two", "ec", "/CN=two"), "prod-a");
                csv.printRecord("not a valid id", "Acme", "US", "", "");
                csv.printRecord(ids.get(0), "Acme", "US", "", ""); // a duplicate
                csv.printRecord("csr-bad", "Acme", "US", "not a csr", "");
            }
        }
        Path file = dir.resolve(name);
        Files.writeString(file, text.toString());
        return file;
    }
}
