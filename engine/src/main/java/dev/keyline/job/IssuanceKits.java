package dev.keyline.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.keyline.bundle.BundleOptions;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.HsmCaSigner;
import dev.keyline.error.InvalidSettingException;
import dev.keyline.keys.KeyOrigin;
import dev.keyline.keys.KeyPool;
import dev.keyline.keys.KeySource;
import dev.keyline.keys.PooledKeySource;
import dev.keyline.keys.SoftwareKeySource;
import dev.keyline.x509.CertificateProfile;

/**
 * Opens the kit a run issues with from its settings and this process's secrets: the CA (PKCS#12 with the CA
 * passphrase, or a token with its PIN), the profile, the device key source and the bundle options. The same code
 * for every process that issues: the CLI before a run starts (so a missing CA, a wrong passphrase or a bad profile
 * stops the command with exit code 2 before any key is made), and every job execution, whichever process runs it.
 */
public final class IssuanceKits implements KitOpener {

    private final RunSecrets secrets;

    public IssuanceKits(RunSecrets secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    @Override
    public IssuanceKit open(RunRequest request) {
        CertificateProfile profile = request.profile().map(CertificateProfile::load).orElseGet(CertificateProfile::defaults);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            CertificateAuthority ca = openCa(request);
            if (ca.signer() instanceof HsmCaSigner signer) {
                opened.add(signer);
            }
            Optional<char[]> bundlePassphrase = secrets.bundlePassphrase();
            if (request.pkcs12() && bundlePassphrase.isEmpty()) {
                throw new InvalidSettingException("--pkcs12", "--pkcs12 needs a bundle passphrase to protect device.p12: "
                        + "set " + RunSecrets.BUNDLE_PASSPHRASE + " or pass --bundle-passphrase-file FILE");
            }
            BundleOptions bundles = new BundleOptions(request.out(), bundlePassphrase, request.pkcs12())
                    .withLayout(request.bundleLayout());
            KeySource keys;
            if (request.keys() == KeyOrigin.HSM) {
                TokenKeySources.Opened token = TokenKeySources.open(request, profile, ca, secrets.environment());
                token.token().ifPresent(opened::add);
                keys = token.source();
            } else {
                keys = softwareKeys(request);
            }
            return new IssuanceKit(ca, profile, keys, bundles, request.key(), opened);
        } catch (RuntimeException e) {
            closeQuietly(opened, e);
            throw e;
        }
    }

    private CertificateAuthority openCa(RunRequest request) {
        // A key in ca.p12 is unlocked with the CA passphrase; a key in a token with the PIN from the HSM
        // configuration's pin-file or KEYLINE_HSM_PIN, and then no CA passphrase is involved.
        return new CaFolder(request.ca()).keyStore().open(secrets.ca()).withProvider(request.cryptoProvider());
    }

    private KeySource softwareKeys(RunRequest request) {
        KeySource keys = new SoftwareKeySource(request.cryptoProvider());
        if (request.keyPool().isPresent()) {
            char[] poolPassphrase = secrets.poolPassphrase();
            try {
                keys = new PooledKeySource(KeyPool.open(request.keyPool().get(), poolPassphrase), keys);
            } finally {
                Arrays.fill(poolPassphrase, '\0');
            }
        }
        return keys;
    }

    private static void closeQuietly(List<AutoCloseable> opened, RuntimeException failure) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }
}
