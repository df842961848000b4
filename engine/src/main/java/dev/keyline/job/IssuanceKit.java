package dev.keyline.job;

import java.util.Objects;
import java.util.Optional;

import dev.keyline.bundle.BundleOptions;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeySource;
import dev.keyline.x509.CertificateProfile;

/**
 * The unlocked material a run issues with: the CA (its key unlocked by a passphrase or PIN that is never a job
 * parameter), the device profile, where device keys come from, and how bundles are written. Built by the CLI
 * before any key is made, so a wrong passphrase or a missing CA stops the run early.
 *
 * @param defaultKey the run's {@code --key}; empty: the profile's default
 */
public record IssuanceKit(CertificateAuthority ca, CertificateProfile profile, KeySource keySource,
                          BundleOptions bundleOptions, Optional<KeyAlgorithm> defaultKey) {

    public IssuanceKit {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(keySource, "keySource");
        Objects.requireNonNull(bundleOptions, "bundleOptions");
        Objects.requireNonNull(defaultKey, "defaultKey");
    }

    @Override
    public String toString() {
        return "IssuanceKit[ca=" + ca.certificate().getSubjectX500Principal() + ", defaultKey=" + defaultKey + "]";
    }
}
