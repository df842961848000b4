package dev.keyline.job;

import java.nio.file.Path;

import dev.keyline.error.KeylineException;

/** A run to resume names a manifest that no longer exists: its rows cannot be read again, so nothing is done. */
public class ManifestGoneException extends KeylineException {

    private static final long serialVersionUID = 1L;

    public ManifestGoneException(Path manifest) {
        super(Kind.CONFIGURATION, "the run's manifest " + manifest + " is gone; restore it to resume");
    }
}
