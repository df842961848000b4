package dev.keyline.cli;

import java.nio.file.Path;
import java.util.Optional;

import dev.keyline.ca.Passphrases;
import dev.keyline.ca.store.CaSecrets;
import dev.keyline.job.RunSecrets;

/** Where passphrases come from: a file named by an option, else an environment variable; never an argument. */
final class Secrets {

    static final String CA_PASSPHRASE = RunSecrets.CA_PASSPHRASE;
    static final String ISSUER_PASSPHRASE = "KEYLINE_ISSUER_PASSPHRASE";
    static final String BUNDLE_PASSPHRASE = RunSecrets.BUNDLE_PASSPHRASE;
    static final String POOL_PASSPHRASE = RunSecrets.POOL_PASSPHRASE;

    private Secrets() {
    }

    /** A run's secrets as this command's options name them; what they leave out comes from the environment. */
    static RunSecrets forRun(Path caPassphraseFile, Path bundlePassphraseFile, Path poolPassphraseFile) {
        return new RunSecrets(Optional.ofNullable(caPassphraseFile), Optional.ofNullable(bundlePassphraseFile),
                Optional.ofNullable(poolPassphraseFile), System.getenv());
    }

    static char[] caPassphrase(Optional<Path> file) {
        return Passphrases.resolve(file, System.getenv(), CA_PASSPHRASE);
    }

    /** What unlocks the CA in {@code --ca}: the passphrase, asked for only when its key is in ca.p12. */
    static CaSecrets ca(Optional<Path> passphraseFile) {
        return new CaSecrets(() -> caPassphrase(passphraseFile), System.getenv());
    }

    static char[] poolPassphrase(Optional<Path> file) {
        return Passphrases.resolve(file, System.getenv(), POOL_PASSPHRASE);
    }
}
