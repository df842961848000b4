package dev.keyline.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

import dev.keyline.job.RunSecrets;

/**
 * The files a command that issues from a run's stored settings reads its secrets from ({@code restart},
 * {@code worker}); each falls back to its environment variable. A picocli mixin: the options are declared once.
 */
final class RunSecretFiles {

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "file holding the CA passphrase (else $"
            + Secrets.CA_PASSPHRASE + ")")
    Path passphraseFile;

    @Option(names = "--bundle-passphrase-file", paramLabel = "FILE", description = "file holding the bundle passphrase, "
            + "if the run uses one (else $" + Secrets.BUNDLE_PASSPHRASE + ")")
    Path bundlePassphraseFile;

    @Option(names = "--pool-passphrase-file", paramLabel = "FILE", description = "file holding the key pool passphrase, "
            + "if the run uses a pool (else $" + Secrets.POOL_PASSPHRASE + ")")
    Path poolPassphraseFile;

    RunSecrets secrets() {
        return Secrets.forRun(passphraseFile, bundlePassphraseFile, poolPassphraseFile);
    }
}
