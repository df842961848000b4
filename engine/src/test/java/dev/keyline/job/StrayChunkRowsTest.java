package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.bundle.BundleLayout;
import dev.keyline.bundle.BundleOptions;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.ledger.ArchiveRecord;
import dev.keyline.ledger.LedgerEntry;
import dev.keyline.testing.CliCa;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.testing.RunRequests;
import dev.keyline.x509.CertificateProfile;

/**
 * A ledger that holds rows of a chunk that never committed (past its partition's saved position), as a database that
 * kept part of a transaction across a crash would leave it: a restart would read those rows again and fail on the
 * duplicate identity, every time. It removes them, says so, and issues them again: every device ends issued once,
 * and no archive the ledger records holds a device twice.
 */
class StrayChunkRowsTest {

    private static final int DEVICES = 400;
    private static final int CHUNK = 20;

    @TempDir
    Path dir;

    @Test
    void aRestartRemovesRowsPastTheCommittedPositionAndIssuesThemAgain() throws Exception {
        CliCa cli = CliCa.create(dir);
        CertificateAuthority ca = cli.authority();
        Path manifest = ProvisionRunTest.manifest(dir, DEVICES);
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve(".keyline"));
        RunRequest request = RunRequests.twoPartitions(manifest, out, cli.folder()).chunkSize(CHUNK)
                .bundleLayout(BundleLayout.ARCHIVE).build();
        AtomicInteger budget = new AtomicInteger(130);
        IssuanceKit flaky = new IssuanceKit(new CertificateAuthority(ca.certificate(), ca.chain(),
                new FailingSigner(ca.signer(), budget)), CertificateProfile.defaults(), new SoftwareKeySource(),
                new BundleOptions(out, Optional.empty(), false).withLayout(BundleLayout.ARCHIVE), Optional.empty());

        try (Provisioning provisioning = Provisioning.open(Database.embedded(out), out.resolve(".keyline/keyline.log"), 2,
                settings -> flaky)) {
            RunState failed = provisioning.start(request);
            assertThat(failed.completed()).isFalse();
            Map<String, String> committed = certificates(provisioning);
            // Partition 0 holds rows [0, 200): whole chunks committed, so its position is the first row it lacks.
            long position = 0;
            while (committed.containsKey("dev-" + position)) {
                position++;
            }
            assertThat(position % CHUNK).as("whole chunks").isZero();
            assertThat(position).isBetween(1L, DEVICES / 2L - 1);

            // What the crash left: the first row past the position, with the archive its chunk published.
            AtomicReference<LedgerEntry> model = new AtomicReference<>();
            provisioning.ledger().identities().forEachIssued("output-1", e -> model.compareAndSet(null, e));
            LedgerEntry m = model.get();
            String stray = "dev-" + position;
            String archive = "bundles/" + stray + ".tar";
            LedgerEntry strayRow = new LedgerEntry(m.outputId(), stray, m.jobInstanceId(), m.jobExecutionId(), position,
                    position + 2, stray, "f".repeat(64), "00", "e".repeat(64), m.notBefore(), m.notAfter(),
                    m.keyAlgorithm(), m.keyLocation(), archive, "", m.status(), m.issuedAt(), Optional.empty());
            provisioning.ledger().identities().recordIssued(List.of(strayRow));
            provisioning.ledger().archives().recordArchives("output-1", m.jobExecutionId(),
                    List.of(new ArchiveRecord(archive, "d".repeat(64), 10)), java.time.Instant.now());
            Files.writeString(out.resolve(archive), "an archive whose chunk never committed");

            budget.set(Integer.MAX_VALUE);
            RunState resumed = provisioning.restart(failed.executionId());

            assertThat(resumed.completed()).as("the restart finishes").isTrue();
            assertThat(provisioning.strayRowsRemoved()).isEqualTo(1);
            Map<String, String> after = certificates(provisioning);
            assertThat(after).hasSize(DEVICES);
            assertThat(after.get(stray)).as("issued again, not the stray row").isNotEqualTo("f".repeat(64));
            committed.forEach((device, id) -> assertThat(after.get(device)).as(device).isEqualTo(id));
            assertThat(Map.copyOf(after).values()).doesNotHaveDuplicates();
        }
        ProvisionRunTest.assertSha256SumsMatch(out);
        // Every recorded archive extracted into one folder, as the line would: each device once, as the ledger says.
        Path extracted = dir.resolve("extracted");
        var rows = ProvisionRunTest.readCsv(out.resolve("manifest.csv"));
        for (String archive : rows.stream().map(r -> r.get("bundle_path")).distinct().toList()) {
            for (String entry : dev.keyline.testing.Tar.list(out.resolve(archive))) {
                if (entry.endsWith("/")) {
                    assertThat(Files.exists(extracted.resolve(entry))).as("%s is in one archive only", entry).isFalse();
                }
            }
            dev.keyline.testing.Tar.extract(out.resolve(archive), extracted);
        }
        for (var row : rows) {
            var cert = IndependentVerifier.readCertificate(extracted.resolve(row.get("device_id")).resolve("device.crt.pem"));
            IndependentVerifier.validateWithJdk(cert, List.of(), ca.certificate());
            assertThat(ProvisionRunTest.sha256(cert.getEncoded())).as(row.get("device_id"))
                    .isEqualTo(row.get("certificate_id"));
        }
    }

    private static Map<String, String> certificates(Provisioning provisioning) {
        Map<String, String> ids = new HashMap<>();
        provisioning.ledger().identities().forEachIssued("output-1", e -> ids.put(e.deviceId(), e.certificateId()));
        return ids;
    }
}
