package dev.keyline.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.keyline.bundle.BundleOptions;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.CaKeyStore;
import dev.keyline.ca.store.HsmCaSigner;
import dev.keyline.ca.store.Pkcs12CaKeyStore;
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

    /**
     * The software CA this process unlocked last. A run unlocks its CA in the CLI, to stop on a wrong passphrase before
     * anything starts, and its execution's kit unlocks it again when the issue step starts, while the partitions
     * wait: each unlock of ca.p12 is three PBKDF2 derivations of 10,000 iterations, 50-130 ms under the JIT's first
     * tier (a tenth of a 1,000-device run's issue step). Kept with the folder's files' sizes and times, so a CA
     * changed in between is unlocked afresh. Keeping the key adds nothing to what this process can reach: it holds
     * the CA passphrase for its whole life. A token's CA is opened each time: its session belongs to the kit.
     */
    private UnlockedCa lastUnlocked;

    private record UnlockedCa(Path folder, List<String> files, CertificateAuthority ca) {
    }

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

    /**
     * Starts unlocking the software CA in {@code caFolder} on a thread of its own, so that a command's own checks run
     * beside its PBKDF2 derivations; {@link #open} then finds it unlocked, or waits for the unlock under way. Nothing
     * is reported from here: a CA that cannot be unlocked (a wrong passphrase, a missing file) is unlocked again by
     * {@code open}, which reports it as it would have without this. A token's CA is left alone: its session belongs to
     * the kit that opens it.
     */
    public void startUnlocking(Path caFolder) {
        Thread unlocking = new Thread(() -> {
            try {
                CaFolder folder = new CaFolder(caFolder);
                if (folder.keyStore() instanceof Pkcs12CaKeyStore store) {
                    unlocked(folder, store);
                }
            } catch (RuntimeException leftForOpen) {
                // open() unlocks it again and says what is wrong
            }
        }, "keyline-ca-unlock");
        unlocking.setDaemon(true);
        unlocking.start();
    }

    private CertificateAuthority openCa(RunRequest request) {
        // A key in ca.p12 is unlocked with the CA passphrase; a key in a token with the PIN from the HSM
        // configuration's pin-file or KEYLINE_HSM_PIN, and then no CA passphrase is involved.
        CaFolder folder = new CaFolder(request.ca());
        CaKeyStore store = folder.keyStore();
        if (!(store instanceof Pkcs12CaKeyStore pkcs12)) {
            return store.open(secrets.ca()).withProvider(request.cryptoProvider());
        }
        return unlocked(folder, pkcs12).withProvider(request.cryptoProvider());
    }

    /** The CA of ca.p12, unlocked now unless the last one unlocked is this folder's with its files unchanged. */
    private CertificateAuthority unlocked(CaFolder folder, Pkcs12CaKeyStore store) {
        Path dir = folder.dir().toAbsolutePath().normalize();
        List<String> files = stamps(folder);
        synchronized (this) {
            UnlockedCa last = lastUnlocked;
            if (last == null || !last.folder().equals(dir) || files.isEmpty() || !last.files().equals(files)) {
                last = new UnlockedCa(dir, files, store.open(secrets.ca()));
                lastUnlocked = files.isEmpty() ? null : last;
            }
            return last.ca();
        }
    }

    /** Size and modification time of each file a software CA is opened from; empty when one cannot be read. */
    private static List<String> stamps(CaFolder folder) {
        List<String> stamps = new ArrayList<>(3);
        for (String name : List.of(CaFolder.KEY_STORE_FILE, CaFolder.CERTIFICATE_FILE, CaFolder.CHAIN_FILE)) {
            try {
                Path file = folder.file(name);
                stamps.add(Files.size(file) + "@" + Files.getLastModifiedTime(file).toInstant());
            } catch (IOException e) {
                return List.of(); // opening reports what is wrong with it
            }
        }
        return stamps;
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
