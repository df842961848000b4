package dev.keyline.cli;

import java.nio.file.Path;
import java.util.Optional;

import dev.keyline.ca.Passphrases;
import dev.keyline.ca.store.CaSecrets;

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

    /**
     * What unlocks the CA of a run or a registration: the CA passphrase, read only when the key is in ca.p12, or the
     * token's PIN from the process environment (or the HSM configuration's pin-file).
     */
    static CaSecrets ca(Optional<Path> passphraseFile) {
        return new CaSecrets(() -> caPassphrase(passphraseFile), System.getenv());
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
