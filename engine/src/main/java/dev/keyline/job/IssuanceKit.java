package dev.keyline.job;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.keyline.bundle.BundleOptions;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeySource;
import dev.keyline.x509.CertificateProfile;

/**
 * The unlocked material a run issues with: the CA (its key unlocked by a passphrase or PIN that is never a job
 * parameter), the device profile, where device keys come from, and how bundles are written. Opened per job execution
 * from the run's settings and the process's own secrets ({@link IssuanceKits}), so any process holding the secrets
 * can issue for a run: the CLI, or a worker.
 *
 * <p>Closing it closes what was opened for it (PKCS#11 sessions), not the parts a caller handed in: a long-running
 * process opens a kit for each execution it works on.
 *
 * @param defaultKey the run's {@code --key}; empty: the profile's default
 * @param opened     what was opened for this kit and ends with it, closed in reverse order
 */
public record IssuanceKit(CertificateAuthority ca, CertificateProfile profile, KeySource keySource,
                          BundleOptions bundleOptions, Optional<KeyAlgorithm> defaultKey, List<AutoCloseable> opened)
        implements AutoCloseable {

    public IssuanceKit {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(keySource, "keySource");
        Objects.requireNonNull(bundleOptions, "bundleOptions");
        Objects.requireNonNull(defaultKey, "defaultKey");
        opened = List.copyOf(opened);
    }

    /** A kit of parts its caller owns and closes. */
    public IssuanceKit(CertificateAuthority ca, CertificateProfile profile, KeySource keySource,
                       BundleOptions bundleOptions, Optional<KeyAlgorithm> defaultKey) {
        this(ca, profile, keySource, bundleOptions, defaultKey, List.of());
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "IssuanceKit[ca=" + ca.certificate().getSubjectX500Principal() + ", defaultKey=" + defaultKey + "]";
    }
}
