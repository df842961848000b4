package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.bundle.BundleOptions;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.CaSecrets;
import dev.keyline.cli.Keyline;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.testing.RunRequests;
import dev.keyline.x509.CertificateProfile;

/**
 * A run keeps in memory only the CSR keys of chunks that have not committed yet: committed keys are found in the
 * ledger, so memory does not grow with the number of CSR devices, and a key reused in a later chunk or by the other
 * partition is still refused. CSRs are made by the real openssl.
 */
class CsrKeysInFlightTest {

    private static final int DEVICES = 24;

    @TempDir
    Path dir;

    @Test
    void committedCsrKeysLeaveMemoryAndAReusedKeyIsStillRefused() throws Exception {
        Path pass = dir.resolve("pass");
        Files.writeString(pass, "in flight\n");
        Path caDir = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=In Flight CA,O=Acme,C=US", "--out", caDir.toString(),
                "--passphrase-file", pass.toString())).isZero();
        CertificateAuthority ca = new CaFolder(caDir).keyStore().open(new CaSecrets("in flight"::toCharArray, Map.of()));

        List<String> csrs = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            csrs.add(CsrRunTest.csr(dir, "d" + i, "ec", "/CN=d" + i));
        }
        Path manifest = dir.resolve("m.csv");
        try (CSVPrinter csv = new CSVPrinter(Files.newBufferedWriter(manifest),
                CSVFormat.RFC4180.builder().setHeader("device_id", "organization", "country", "csr").get())) {
            for (int i = 0; i < DEVICES; i++) {
                csv.printRecord(String.format("dev-%02d", i), "Acme", "US", csrs.get(i));
            }
            // Rows 0-12 are one partition, 13-25 the other (chunks of 3): the last two rows reuse the keys of the
            // first row of each partition.
            csv.printRecord("copy-of-00", "Acme", "US", csrs.get(0));
            csv.printRecord("copy-of-13", "Acme", "US", csrs.get(13));
        }
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve(".keyline"));
        RunRequest request = RunRequests.twoPartitions(manifest, out, caDir).chunkSize(3).build();
        IssuanceKit kit = new IssuanceKit(ca, CertificateProfile.defaults(), new SoftwareKeySource(),
                new BundleOptions(out, Optional.empty(), false), Optional.empty());

        try (Provisioning provisioning = Provisioning.open(Database.embedded(out), out.resolve(".keyline/keyline.log"), 2,
                settings -> kit)) {
            RunState run = provisioning.start(request);

            assertThat(run.completed()).isTrue();
            assertThat(provisioning.ledger().identities().countIssued("output-1")).isEqualTo(DEVICES);
            assertThat(provisioning.csrKeysLeftBehind()).as("CSR keys still held in memory when the run's kit closed").isZero();
        }
        Map<String, String> rejected = ProvisionRunTest.readCsv(out.resolve("rejects.csv")).stream()
                .collect(Collectors.toMap(r -> r.get("device_id"), r -> r.get("reason")));
        assertThat(rejected).hasSize(2);
        // dev-13 and its copy are in the same partition: dev-13's chunk committed first, so the ledger refuses the copy.
        assertThat(rejected.get("copy-of-13")).contains("already has a certificate in the ledger (device dev-13)");
        // dev-00 is in the other partition, whose progress this test does not control: whichever came second is refused,
        // from memory while the first one's chunk was in flight, from the ledger once it had committed.
        List<String> pair = rejected.keySet().stream().filter(d -> !d.equals("copy-of-13")).toList();
        assertThat(pair).singleElement().isIn("dev-00", "copy-of-00");
        assertThat(rejected.get(pair.get(0))).containsAnyOf("already has a certificate in the ledger",
                "the same as another device's in this run");
    }
}
