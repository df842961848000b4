package dev.keyline.testing;

import java.nio.file.Path;

import dev.keyline.device.ManifestScan;
import dev.keyline.job.RunRequest;
import dev.keyline.keys.CryptoProvider;

/** Runs started through {@code Provisioning} directly, as the tests of the job start them. */
public final class RunRequests {

    private RunRequests() {
    }

    /**
     * A run of a CSV manifest (as it is now) into {@code out}, output id {@code output-1}, on two threads, so two
     * partitions, with Bouncy Castle, which every machine has; the rest as the test sets it.
     */
    public static RunRequest.Builder twoPartitions(Path manifest, Path out, Path ca) {
        return RunRequest.builder(manifest, ManifestScan.sha256(manifest), out, "output-1", ca).threads(2)
                .cryptoProvider(CryptoProvider.BC);
    }
}
