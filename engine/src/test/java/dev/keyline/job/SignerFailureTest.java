package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

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
 * The CA's signer fails mid-run, as a token does when it is removed or its session closes: the run fails with the
 * cause named and keeps what committed; once the signer works again, a restart completes the run with every device
 * issued exactly once and no certificate whose key was lost.
 */
class SignerFailureTest {

    @TempDir
    Path dir;

    @Test
    void aSignerThatFailsMidRunFailsTheRunAndARestartCompletesIt() throws Exception {
        Path pass = dir.resolve("pass");
        Files.writeString(pass, "signer failure\n");
        Path caDir = dir.resolve("ca");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Flaky CA,O=Acme,C=US", "--out", caDir.toString(),
                "--passphrase-file", pass.toString())).isZero();
        CertificateAuthority ca = new CaFolder(caDir).keyStore().open(new CaSecrets("signer failure"::toCharArray, Map.of()));
        Path manifest = ProvisionRunTest.manifest(dir, 600);
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve(".keyline"));
        RunRequest request = RunRequests.twoPartitions(manifest, out, caDir).chunkSize(25).build();
        AtomicInteger budget = new AtomicInteger(250);
        IssuanceKit flaky = kit(new CertificateAuthority(ca.certificate(), ca.chain(), new FailingSigner(ca.signer(), budget)), out);

        try (Provisioning provisioning = Provisioning.open(Database.embedded(out), out.resolve(".keyline/keyline.log"), 2,
                settings -> flaky)) {
            RunState failed = provisioning.start(request);
            assertThat(failed.completed()).isFalse();
            assertThat(FailingSigner.messages(failed.failures().get(0))).as("the first failure, which the CLI prints, names the cause")
                    .contains("CKR_DEVICE_REMOVED");
            long committed = provisioning.ledger().identities().countIssuedBy(failed.instanceId());
            assertThat(committed).isBetween(1L, 599L);
            Map<String, String> before = certificates(provisioning);

            budget.set(Integer.MAX_VALUE); // the token is back
            RunState resumed = provisioning.restart(failed.executionId());
            assertThat(resumed.completed()).isTrue();
            assertThat(provisioning.strayRowsRemoved()).as("a consistent ledger: nothing past a committed position").isZero();
            Map<String, String> after = certificates(provisioning);
            assertThat(after).hasSize(600);
            before.forEach((device, id) -> assertThat(after.get(device)).as(device).isEqualTo(id));
        }
        for (var row : ProvisionRunTest.readCsv(out.resolve("manifest.csv"))) {
            Path bundle = out.resolve(row.get("bundle_path"));
            var cert = dev.keyline.testing.IndependentVerifier.readCertificate(bundle.resolve("device.crt.pem"));
            dev.keyline.testing.IndependentVerifier.validateWithJdk(cert, java.util.List.of(), ca.certificate());
            ProvisionRunTest.assertKeyMatches(bundle.resolve("device.key.pem"), cert);
        }
        ProvisionRunTest.assertSha256SumsMatch(out);
    }

    private static IssuanceKit kit(CertificateAuthority ca, Path out) {
        return new IssuanceKit(ca, CertificateProfile.defaults(), new SoftwareKeySource(),
                new BundleOptions(out, Optional.empty(), false), Optional.empty());
    }

    private static Map<String, String> certificates(Provisioning provisioning) {
        Map<String, String> ids = new HashMap<>();
        provisioning.ledger().identities().forEachIssued("output-1", e -> ids.put(e.deviceId(), e.certificateId()));
        return ids;
    }
}
