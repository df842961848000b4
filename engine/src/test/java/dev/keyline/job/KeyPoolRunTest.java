package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.cli.Keyline;
import dev.keyline.keys.KeyPool;
import dev.keyline.testing.IndependentVerifier;

/** RSA device keys made ahead into a pool, consumed by a run: each once, the rest made live. */
class KeyPoolRunTest {

    @TempDir
    Path dir;

    @Test
    void aRunTakesRsaKeysFromThePoolOnceEachAndMakesTheRestLive() throws Exception {
        Path caPass = dir.resolve("ca-pass");
        Path poolPass = dir.resolve("pool-pass");
        Files.writeString(caPass, "ca passphrase\n");
        Files.writeString(poolPass, "pool passphrase\n");
        Path ca = dir.resolve("ca");
        Path pool = dir.resolve("pool");
        assertThat(Keyline.execute("ca", "init", "--subject", "CN=Pool CA,O=Acme,C=US", "--out", ca.toString(),
                "--passphrase-file", caPass.toString())).isZero();
        assertThat(Keyline.execute("keypool", "fill", "--pool", pool.toString(), "--key", "rsa-2048", "--count", "6",
                "--batch-size", "2", "--pool-passphrase-file", poolPass.toString())).isZero();
        Path manifest = dir.resolve("m.csv");
        Files.writeString(manifest, "device_id,organization\nr-1,Acme\nr-2,Acme\nr-3,Acme\nr-4,Acme\nr-5,Acme\n");
        Path out = dir.resolve("out");

        assertThat(Keyline.execute("run", manifest.toString(), "--ca", ca.toString(), "--out", out.toString(),
                "--key", "rsa-2048", "--key-pool", pool.toString(), "--threads", "1", "--no-progress",
                "--passphrase-file", caPass.toString(), "--pool-passphrase-file", poolPass.toString())).isZero();

        List<CSVRecord> rows = ProvisionRunTest.readCsv(out.resolve("manifest.csv"));
        assertThat(rows).hasSize(5);
        for (CSVRecord row : rows) {
            Path bundle = out.resolve(row.get("bundle_path"));
            var cert = IndependentVerifier.readCertificate(bundle.resolve("device.crt.pem"));
            assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("RSA");
            ProvisionRunTest.assertKeyMatches(bundle.resolve("device.key.pem"), cert);
            IndependentVerifier.verifyWithOpenSsl(ca.resolve("ca.crt.pem"), null, List.of(bundle.resolve("device.crt.pem")));
        }
        KeyPool.Status status = KeyPool.open(pool, "pool passphrase".toCharArray()).status();
        // 5 keys taken in batches of 2: three batches claimed, two used up and deleted, one left with a key in it.
        assertThat(status.readyKeys()).isZero();
        assertThat(status.claimedBatches()).isEqualTo(1);
    }
}
