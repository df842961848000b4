package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.bundle.BundleOptions;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.CaSecrets;
import dev.keyline.cli.Keyline;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.testing.IndependentVerifier;
import dev.keyline.testing.ManifestFiles;
import dev.keyline.testing.RunRequests;
import dev.keyline.x509.CertificateProfile;

/**
 * A run of a gzip manifest with damaged rows fails part-way (the CA's signer goes away) and is restarted: partitions
 * resume by row index inside the decompressed text, so every device is issued exactly once and each damaged row is
 * rejected once, with the line it has in the uncompressed file.
 */
class CompressedManifestRestartTest {

    @TempDir
    Path dir;

    @Test
    void aRestartOfAGzipRunResumesAtTheRightRowsAndRejectsEachDamagedRowOnce() throws Exception {
        Path pass = Files.writeString(dir.resolve("pass"), "gzip restart\n");
        Path caDir = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Gzip CA,O=Acme,C=US", "--out", caDir.toString(),
                "--passphrase-file", pass.toString())).isZero();
        CertificateAuthority ca = new CaFolder(caDir).keyStore().open(new CaSecrets("gzip restart"::toCharArray, Map.of()));
        StringBuilder csv = new StringBuilder("device_id,organization,country\n");
        for (int i = 0; i < 300; i++) {
            csv.append("dev-").append(i).append(",Acme,US\n");
            if (i == 100) {
                csv.append("dev-broken,\"Acme\"x,US\n");            // line 103
            }
        }
        csv.append("\"dev-open,Acme,US\n").append("dev-swallowed,Acme,US\n"); // lines 303-304
        Path manifest = ManifestFiles.gzip(dir.resolve("devices.csv.gz"), csv.toString());
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve(".keyline"));
        RunRequest request = RunRequests.twoPartitions(manifest, out, caDir).chunkSize(25).build();
        AtomicInteger budget = new AtomicInteger(120);
        IssuanceKit flaky = new IssuanceKit(new CertificateAuthority(ca.certificate(), ca.chain(),
                new FailingSigner(ca.signer(), budget)), CertificateProfile.defaults(), new SoftwareKeySource(),
                new BundleOptions(out, Optional.empty(), false), Optional.empty());

        try (Provisioning provisioning = Provisioning.open(Database.embedded(out), out.resolve(".keyline/keyline.log"), 2,
                settings -> flaky)) {
            RunState failed = provisioning.start(request);
            assertThat(failed.completed()).isFalse();
            assertThat(provisioning.ledger().identities().countIssuedBy(failed.instanceId())).isBetween(1L, 299L);
            Map<String, String> before = certificates(provisioning);

            budget.set(Integer.MAX_VALUE);
            RunState resumed = provisioning.restart(failed.executionId());
            assertThat(resumed.completed()).isTrue();
            Map<String, String> after = certificates(provisioning);
            assertThat(after).hasSize(300);
            before.forEach((device, id) -> assertThat(after.get(device)).as(device).isEqualTo(id));
        }
        List<CSVRecord> rejects = ProvisionRunTest.readCsv(out.resolve("rejects.csv"));
        assertThat(rejects).extracting(r -> r.get("line")).containsExactlyInAnyOrder("103", "303");
        assertThat(rejects).extracting(r -> r.get("reason")).anySatisfy(reason -> assertThat(reason)
                .contains("a quoted value opened on line 303 is never closed; lines 303-304"));
        for (CSVRecord row : ProvisionRunTest.readCsv(out.resolve("manifest.csv"))) {
            Path bundle = out.resolve(row.get("bundle_path"));
            var cert = IndependentVerifier.readCertificate(bundle.resolve("device.crt.pem"));
            IndependentVerifier.validateWithJdk(cert, List.of(), ca.certificate());
            ProvisionRunTest.assertKeyMatches(bundle.resolve("device.key.pem"), cert);
        }
    }

    private static Map<String, String> certificates(Provisioning provisioning) {
        Map<String, String> ids = new HashMap<>();
        provisioning.ledger().identities().forEachIssued("output-1", e -> ids.put(e.deviceId(), e.certificateId()));
        return ids;
    }
}
