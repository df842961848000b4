package dev.keyline.bundle;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How bundles are written for a run.
 *
 * <p>The passphrase array is held, not copied, and a writer keeps no copy once created (it keeps only
 * the keys derived from it), so the caller may clear the array after creating its writers.
 *
 * @param outputDirectory  the run's output folder {@code OUT}; bundles go under {@code OUT/bundles/}
 * @param passphrase       when present, key files are encrypted (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC)
 *                         and the PKCS#12 is protected with it
 * @param pkcs12           also write {@code device.p12}; needs a passphrase
 * @param pbkdf2Iterations PBKDF2 (and PKCS#12 MAC) iteration count; see {@link #DEFAULT_PBKDF2_ITERATIONS}
 * @param durability       how {@link BundleWriter#makeDurable()} works
 * @param layout           a folder per device, or an archive per chunk
 */
public record BundleOptions(Path outputDirectory, Optional<char[]> passphrase, boolean pkcs12,
                            int pbkdf2Iterations, DurabilityMode durability, BundleLayout layout) {

    /**
     * 600,000: OWASP's 2023 figure for PBKDF2-HMAC-SHA256. Affordable because a writer derives its keys
     * once (see {@link PassphraseProtection}): about 0.13 s per writer here for PBKDF2, plus about 0.2 s
     * for the PKCS#12 MAC key. A reader pays it once per file opened (OpenSSL 3: about 0.13 s). Deriving
     * per device instead would cost 62 ms per key at 100,000 iterations (measured with Bouncy Castle on
     * this machine), some 16 devices per second per thread.
     */
    public static final int DEFAULT_PBKDF2_ITERATIONS = 600_000;
    /** NIST SP 800-132's minimum. */
    public static final int MIN_PBKDF2_ITERATIONS = 1_000;
    /** The JDK's PKCS12 KeyStore refuses files with more. */
    public static final int MAX_PBKDF2_ITERATIONS = 5_000_000;

    public BundleOptions {
        Objects.requireNonNull(outputDirectory, "outputDirectory");
        Objects.requireNonNull(passphrase, "passphrase (use Optional.empty() for none)");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(layout, "layout");
        if (passphrase.isPresent() && passphrase.get().length == 0) {
            throw new IllegalArgumentException(
                    "the bundle passphrase is empty: give a non-empty passphrase, or none for unencrypted key files");
        }
        if (pkcs12 && passphrase.isEmpty()) {
            throw new IllegalArgumentException(
                    "a PKCS#12 bundle (device.p12) needs a bundle passphrase: configure one, or turn PKCS#12 off");
        }
        if (pbkdf2Iterations < MIN_PBKDF2_ITERATIONS || pbkdf2Iterations > MAX_PBKDF2_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations must be between " + MIN_PBKDF2_ITERATIONS
                    + " and " + MAX_PBKDF2_ITERATIONS + ", got " + pbkdf2Iterations);
        }
    }

    /** Default iterations, {@link DurabilityMode#AUTO}, {@link BundleLayout#DIR}. */
    public BundleOptions(Path outputDirectory, Optional<char[]> passphrase, boolean pkcs12) {
        this(outputDirectory, passphrase, pkcs12, DEFAULT_PBKDF2_ITERATIONS, DurabilityMode.AUTO, BundleLayout.DIR);
    }

    public BundleOptions withPbkdf2Iterations(int iterations) {
        return new BundleOptions(outputDirectory, passphrase, pkcs12, iterations, durability, layout);
    }

    public BundleOptions withDurability(DurabilityMode mode) {
        return new BundleOptions(outputDirectory, passphrase, pkcs12, pbkdf2Iterations, mode, layout);
    }

    public BundleOptions withLayout(BundleLayout newLayout) {
        return new BundleOptions(outputDirectory, passphrase, pkcs12, pbkdf2Iterations, durability, newLayout);
    }

    /** Says whether a passphrase is set, never what it is. */
    @Override
    public String toString() {
        return "BundleOptions[outputDirectory=" + outputDirectory
                + ", passphrase=" + (passphrase.isPresent() ? "<redacted>" : "<none>")
                + ", pkcs12=" + pkcs12
                + ", pbkdf2Iterations=" + pbkdf2Iterations
                + ", durability=" + durability
                + ", layout=" + layout.id() + "]";
    }
}
