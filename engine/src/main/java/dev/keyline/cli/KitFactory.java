package dev.keyline.cli;

import java.nio.file.Path;
import java.util.Optional;

import dev.keyline.bundle.BundleOptions;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.job.IssuanceKit;
import dev.keyline.job.RunRequest;
import dev.keyline.keys.KeyOrigin;
import dev.keyline.keys.KeyPool;
import dev.keyline.keys.KeySource;
import dev.keyline.keys.PooledKeySource;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.x509.CertificateProfile;

/**
 * Unlocks everything a run issues with, before any key is made: so a missing CA, a wrong passphrase or a bad
 * profile stops the command with exit code 2 and a message naming the setting.
 */
final class KitFactory {

    private KitFactory() {
    }

    static IssuanceKit build(RunRequest request, Optional<Path> caPassphraseFile, Optional<Path> bundlePassphraseFile) {
        return build(request, caPassphraseFile, bundlePassphraseFile, Optional.empty());
    }

    static IssuanceKit build(RunRequest request, Optional<Path> caPassphraseFile, Optional<Path> bundlePassphraseFile,
                             Optional<Path> poolPassphraseFile) {
        CertificateProfile profile = request.profile().map(CertificateProfile::load).orElseGet(CertificateProfile::defaults);
        // A key in ca.p12 is unlocked with the CA passphrase; a key in a token with the PIN from the HSM
        // configuration's pin-file or KEYLINE_HSM_PIN, and then no CA passphrase is involved.
        CertificateAuthority ca = new CaFolder(request.ca()).keyStore().open(Secrets.ca(caPassphraseFile))
                .withProvider(request.cryptoProvider());
        Optional<char[]> bundlePassphrase = Secrets.bundlePassphrase(bundlePassphraseFile);
        if (request.pkcs12() && bundlePassphrase.isEmpty()) {
            throw new UsageException("--pkcs12 needs a bundle passphrase to protect device.p12: set "
                    + Secrets.BUNDLE_PASSPHRASE + " or pass --bundle-passphrase-file FILE");
        }
        BundleOptions bundles = new BundleOptions(request.out(), bundlePassphrase, request.pkcs12())
                .withLayout(request.bundleLayout());
        if (request.keys() == KeyOrigin.HSM) {
            return new IssuanceKit(ca, profile, TokenKeySources.open(request, profile, ca, System.getenv()), bundles,
                    request.key());
        }
        KeySource keys = new SoftwareKeySource(request.cryptoProvider());
        if (request.keyPool().isPresent()) {
            char[] poolPassphrase = Secrets.poolPassphrase(poolPassphraseFile);
            try {
                keys = new PooledKeySource(KeyPool.open(request.keyPool().get(), poolPassphrase), keys);
            } finally {
                java.util.Arrays.fill(poolPassphrase, '\0');
            }
        }
        return new IssuanceKit(ca, profile, keys, bundles, request.key());
    }
}
