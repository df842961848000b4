package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.keyline.bundle.BundleLayout;

class SpaceEstimateTest {

    private static final long KB = 1024;

    @Test
    void dirBundlesAndTheH2LedgerPerDeviceAndPerCommit() {
        // 1,000 devices in chunks of 500: two commits of 32 KB each
        assertThat(new SpaceEstimate(1000, BundleLayout.DIR, false, true, 500).bytes())
                .isEqualTo(1000 * (16 + 2) * KB + 2 * 32 * KB);
        assertThat(new SpaceEstimate(1000, BundleLayout.DIR, true, true, 500).bytes())
                .isEqualTo(1000 * (20 + 2) * KB + 2 * 32 * KB);
    }

    @Test
    void aLastChunkThatIsNotFullIsACommitToo() {
        assertThat(new SpaceEstimate(21, BundleLayout.ARCHIVE, false, true, 20).ledgerBytes())
                .isEqualTo(21 * 2 * KB + 2 * 32 * KB);
    }

    @Test
    void archivesTakeLessAndAPostgresLedgerIsNotOnThisDisk() {
        assertThat(new SpaceEstimate(1000, BundleLayout.ARCHIVE, false, false, 500).bytes()).isEqualTo(1000 * 4 * KB);
        assertThat(new SpaceEstimate(1000, BundleLayout.ARCHIVE, true, true, 500).bytes())
                .isEqualTo(1000 * (6 + 2) * KB + 2 * 32 * KB);
    }

    @Test
    void warnsInOneLineOnlyWhenTheDiskHasLessThanTheEstimate() {
        SpaceEstimate estimate = new SpaceEstimate(1_000_000, BundleLayout.DIR, false, true, 500);
        Path out = Path.of("/data/out");
        assertThat(estimate.warning(out, estimate.bytes())).isEmpty();
        String warning = estimate.warning(out, 4 * KB * KB).orElseThrow();
        assertThat(warning).startsWith("keyline: warning: 1,000,000 devices need about 17.2 GB in /data/out")
                .contains("only 4.0 MB is free there").contains("keyline restart").doesNotContain("\n");
    }

    @Test
    void sizesReadAsAPersonWouldWriteThem() {
        assertThat(SpaceEstimate.human(512)).isEqualTo("512 bytes");
        assertThat(SpaceEstimate.human(1536)).isEqualTo("1.5 KB");
        assertThat(SpaceEstimate.human(3L * KB * KB * KB)).isEqualTo("3.0 GB");
    }
}
