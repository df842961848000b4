package dev.keyline.device;

import java.nio.file.Path;

import dev.keyline.error.KeylineException;

/**
 * The manifest as a whole cannot be read: missing, unreadable, an unknown column, broken quoting.
 * Unlike a bad row (which is rejected and the batch goes on), this stops the run before any key is made.
 */
public class ManifestException extends KeylineException {

    private final transient Path manifest;

    public ManifestException(Path manifest, String reason) {
        super(Kind.CONFIGURATION, manifest + ": " + reason);
        this.manifest = manifest;
    }

    public ManifestException(Path manifest, String reason, Throwable cause) {
        super(Kind.CONFIGURATION, manifest + ": " + reason, cause);
        this.manifest = manifest;
    }

    public Path manifest() {
        return manifest;
    }
}
