package dev.keyline.cli;

import java.nio.file.Path;
import java.util.Optional;

import dev.keyline.ca.Passphrases;

/** Where passphrases come from: a file named by an option, else an environment variable; never an argument. */
final class Secrets {

    static final String CA_PASSPHRASE = "KEYLINE_CA_PASSPHRASE";
    static final String ISSUER_PASSPHRASE = "KEYLINE_ISSUER_PASSPHRASE";
    static final String BUNDLE_PASSPHRASE = "KEYLINE_BUNDLE_PASSPHRASE";
    static final String POOL_PASSPHRASE = "KEYLINE_POOL_PASSPHRASE";

    private Secrets() {
    }

    static char[] caPassphrase(Optional<Path> file) {
        return Passphrases.resolve(file, System.getenv(), CA_PASSPHRASE);
    }

    static char[] poolPassphrase(Optional<Path> file) {
        return Passphrases.resolve(file, System.getenv(), POOL_PASSPHRASE);
    }

    /** The bundle passphrase when one is configured (a file, or the environment), else empty. */
    static Optional<char[]> bundlePassphrase(Optional<Path> file) {
        if (file.isEmpty() && System.getenv(BUNDLE_PASSPHRASE) == null) {
            return Optional.empty();
        }
        return Optional.of(Passphrases.resolve(file, System.getenv(), BUNDLE_PASSPHRASE));
    }
}
