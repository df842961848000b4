package dev.keyline.cli;

import java.nio.file.Path;

/** What to tell someone whose manifest changed after a run of it started, and what they can do about it. */
final class ManifestChange {

    private ManifestChange() {
    }

    static String describe(Path manifest, long executionId, Path out) {
        return "the manifest " + manifest + " changed since run " + executionId + " started (its SHA-256 differs), and "
                + "that run did not finish; nothing was issued now. Either restore the original file to resume run "
                + executionId + " (keyline restart --out " + out + "), or start a new run of the changed file into the "
                + "same output, which skips every device already issued there (keyline run " + manifest + " --out " + out
                + " --new-run, with the run's other options)";
    }
}
