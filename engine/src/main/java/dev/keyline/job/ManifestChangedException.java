package dev.keyline.job;

import java.nio.file.Path;

import dev.keyline.error.KeylineException;

/**
 * The manifest of an unfinished run changed since the run started (its SHA-256 differs). Resuming would issue from a
 * file the run's split and duplicates were not made from, and taking it silently as a new run would leave the
 * unfinished one behind; so nothing is done, and the message tells both ways on.
 */
public class ManifestChangedException extends KeylineException {

    private static final long serialVersionUID = 1L;

    /**
     * @param manifest    the manifest as the run names it
     * @param executionId the unfinished run's execution that {@code restart} would resume
     * @param out         the output folder
     */
    public ManifestChangedException(Path manifest, long executionId, Path out) {
        super(Kind.CONFIGURATION, "the manifest " + manifest + " changed since run " + executionId + " started (its "
                + "SHA-256 differs), and that run did not finish; nothing was issued now. Either restore the original file "
                + "to resume run " + executionId + " (keyline restart --out " + out + "), or start a new run of the changed "
                + "file into the same output, which skips every device already issued there (keyline run " + manifest
                + " --out " + out + " --new-run, with the run's other options)");
    }
}
