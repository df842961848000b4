package dev.keyline.x509;

import java.nio.file.Path;
import java.util.Optional;

import dev.keyline.error.KeylineException;

/** A certificate profile that cannot be used; the message names the file, the key and the fix. */
public class ProfileException extends KeylineException {

    private final Path file;
    private final String key;

    public ProfileException(String message, Path file, String key) {
        super(Kind.CONFIGURATION, message);
        this.file = file;
        this.key = key;
    }

    public ProfileException(String message, Path file, String key, Throwable cause) {
        super(Kind.CONFIGURATION, message, cause);
        this.file = file;
        this.key = key;
    }

    /** The profile file, when the profile came from one. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The offending key, when one is at fault. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }
}
