package dev.keyline.job;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.keyline.ca.Passphrases;
import dev.keyline.ca.store.CaSecrets;

/**
 * Where this process finds the secrets a run issues with: a file named on the command line, else an environment
 * variable; never an argument, and never a job parameter. Each process has its own: the CLI's come from its options
 * and environment, a worker's from its environment only. So a run can be resumed, or a partition run, by any process
 * that holds the secrets, and the database never holds them.
 *
 * <p>Each call reads the secret afresh and returns a new array, which the caller wipes when done.
 *
 * @param environment the process's environment, also where the HSM PIN is looked up (see {@code HsmPin})
 */
public record RunSecrets(Optional<Path> caPassphraseFile, Optional<Path> bundlePassphraseFile,
                         Optional<Path> poolPassphraseFile, Map<String, String> environment) {

    public static final String CA_PASSPHRASE = "KEYLINE_CA_PASSPHRASE";
    public static final String BUNDLE_PASSPHRASE = "KEYLINE_BUNDLE_PASSPHRASE";
    public static final String POOL_PASSPHRASE = "KEYLINE_POOL_PASSPHRASE";

    public RunSecrets {
        Objects.requireNonNull(caPassphraseFile, "caPassphraseFile");
        Objects.requireNonNull(bundlePassphraseFile, "bundlePassphraseFile");
        Objects.requireNonNull(poolPassphraseFile, "poolPassphraseFile");
        environment = Map.copyOf(environment);
    }

    /** A process with no secret files: every secret from its environment (a worker, or a command that only reads). */
    public static RunSecrets fromEnvironment() {
        return new RunSecrets(Optional.empty(), Optional.empty(), Optional.empty(), System.getenv());
    }

    /** What unlocks the run's CA: the passphrase, asked for only when its key is in ca.p12; else the token's PIN. */
    public CaSecrets ca() {
        return new CaSecrets(this::caPassphrase, environment);
    }

    public char[] caPassphrase() {
        return Passphrases.resolve(caPassphraseFile, environment, CA_PASSPHRASE);
    }

    public char[] poolPassphrase() {
        return Passphrases.resolve(poolPassphraseFile, environment, POOL_PASSPHRASE);
    }

    /** The bundle passphrase when one is configured (a file, or the environment), else empty. */
    public Optional<char[]> bundlePassphrase() {
        if (bundlePassphraseFile.isEmpty() && environment.get(BUNDLE_PASSPHRASE) == null) {
            return Optional.empty();
        }
        return Optional.of(Passphrases.resolve(bundlePassphraseFile, environment, BUNDLE_PASSPHRASE));
    }

    /** Names the files only: the environment holds secrets and is never printed. */
    @Override
    public String toString() {
        return "RunSecrets[caPassphraseFile=" + caPassphraseFile + ", bundlePassphraseFile=" + bundlePassphraseFile
                + ", poolPassphraseFile=" + poolPassphraseFile + "]";
    }
}
