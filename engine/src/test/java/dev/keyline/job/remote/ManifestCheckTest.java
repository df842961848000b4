package dev.keyline.job.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.device.ManifestScan;

/** A worker reads a range only from the run's own manifest file, and says on which host and path it is not. */
class ManifestCheckTest {

    @TempDir
    Path dir;

    @Test
    void theRunsFilePassesAnotherFileAtThePathFailsNamingHostAndPath() throws Exception {
        Path manifest = Files.writeString(dir.resolve("m.csv"), "device_id\nd-1\nd-2\n");
        String sha256 = ManifestScan.sha256(manifest);
        ManifestCheck check = new ManifestCheck("line-host-7");
        assertThat(check.problem(manifest, sha256)).isEmpty();
        assertThat(check.problem(manifest, sha256)).as("from the cache").isEmpty();

        // another file at the same path (a stale copy on this host's mount): size and time differ
        Files.writeString(manifest, "device_id\nd-1\nd-9\nd-10\n");
        assertThat(check.problem(manifest, sha256)).hasValueSatisfying(p -> assertThat(p)
                .contains("line-host-7").contains(manifest.toString()).contains("not the run's file")
                .contains(sha256).contains("shared file system"));

        Files.delete(manifest);
        assertThat(check.problem(manifest, sha256)).hasValueSatisfying(p -> assertThat(p)
                .contains("line-host-7").contains(manifest.toString()).contains("same path"));
    }
}
