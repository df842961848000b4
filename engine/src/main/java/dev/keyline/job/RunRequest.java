package dev.keyline.job;

import static dev.keyline.job.JobParameterNames.*;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import dev.keyline.bundle.BundleLayout;
import dev.keyline.device.ManifestFormat;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeyOrigin;

/**
 * A run's settings, which become its job parameters. Nothing secret: passphrases and PINs are read again from
 * the environment or a file when a run restarts.
 *
 * @param skipLimit the most rejected rows accepted; negative: no limit
 * @param template  provisioning template each device is linted against before signing (a restart re-applies it)
 * @param cnToSan   copy a host-name or IP CN into the SAN
 * @param registration the register step's targets (none: the step registers nothing)
 * @param bundleLayout a folder per device, or an archive per chunk
 * @param keys     where device keys are made ({@code --keys})
 * @param hsm      with {@code keys} HSM: the HSM configuration of the token ({@code --hsm}); empty: the CA's token
 */
public record RunRequest(Path manifest, String manifestSha256, ManifestFormat format, Path out, String outputId,
                         int threads, int chunkSize, long skipLimit, Optional<KeyAlgorithm> key,
                         Optional<Path> profile, Path ca, boolean pkcs12, CryptoProvider cryptoProvider,
                         Optional<Path> template, boolean cnToSan, Optional<Path> keyPool,
                         RegistrationRequest registration, BundleLayout bundleLayout, KeyOrigin keys,
                         Optional<Path> hsm) {

    /** A request with software device keys. */
    public RunRequest(Path manifest, String manifestSha256, ManifestFormat format, Path out, String outputId,
                      int threads, int chunkSize, long skipLimit, Optional<KeyAlgorithm> key,
                      Optional<Path> profile, Path ca, boolean pkcs12, CryptoProvider cryptoProvider,
                      Optional<Path> template, boolean cnToSan, Optional<Path> keyPool,
                      RegistrationRequest registration, BundleLayout bundleLayout) {
        this(manifest, manifestSha256, format, out, outputId, threads, chunkSize, skipLimit, key, profile, ca, pkcs12,
                cryptoProvider, template, cnToSan, keyPool, registration, bundleLayout, KeyOrigin.SOFTWARE, Optional.empty());
    }

    /** A request with the {@code dir} bundle layout and software device keys. */
    public RunRequest(Path manifest, String manifestSha256, ManifestFormat format, Path out, String outputId,
                      int threads, int chunkSize, long skipLimit, Optional<KeyAlgorithm> key,
                      Optional<Path> profile, Path ca, boolean pkcs12, CryptoProvider cryptoProvider,
                      Optional<Path> template, boolean cnToSan, Optional<Path> keyPool,
                      RegistrationRequest registration) {
        this(manifest, manifestSha256, format, out, outputId, threads, chunkSize, skipLimit, key, profile, ca, pkcs12,
                cryptoProvider, template, cnToSan, keyPool, registration, BundleLayout.DIR, KeyOrigin.SOFTWARE, Optional.empty());
    }

    /** A request that does not register. */
    public RunRequest(Path manifest, String manifestSha256, ManifestFormat format, Path out, String outputId,
                      int threads, int chunkSize, long skipLimit, Optional<KeyAlgorithm> key,
                      Optional<Path> profile, Path ca, boolean pkcs12, CryptoProvider cryptoProvider,
                      Optional<Path> template, boolean cnToSan, Optional<Path> keyPool) {
        this(manifest, manifestSha256, format, out, outputId, threads, chunkSize, skipLimit, key, profile, ca, pkcs12,
                cryptoProvider, template, cnToSan, keyPool, RegistrationRequest.none());
    }

    /** A request without a key pool that does not register. */
    public RunRequest(Path manifest, String manifestSha256, ManifestFormat format, Path out, String outputId,
                      int threads, int chunkSize, long skipLimit, Optional<KeyAlgorithm> key,
                      Optional<Path> profile, Path ca, boolean pkcs12, CryptoProvider cryptoProvider,
                      Optional<Path> template, boolean cnToSan) {
        this(manifest, manifestSha256, format, out, outputId, threads, chunkSize, skipLimit, key, profile, ca, pkcs12,
                cryptoProvider, template, cnToSan, Optional.empty(), RegistrationRequest.none());
    }

    /** A request without template lint and without --cn-to-san. */
    public RunRequest(Path manifest, String manifestSha256, ManifestFormat format, Path out, String outputId,
                      int threads, int chunkSize, long skipLimit, Optional<KeyAlgorithm> key,
                      Optional<Path> profile, Path ca, boolean pkcs12, CryptoProvider cryptoProvider) {
        this(manifest, manifestSha256, format, out, outputId, threads, chunkSize, skipLimit, key, profile, ca, pkcs12,
                cryptoProvider, Optional.empty(), false);
    }

    public RunRequest {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(manifestSha256, "manifestSha256");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(outputId, "outputId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(cryptoProvider, "cryptoProvider");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(keyPool, "keyPool");
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(bundleLayout, "bundleLayout");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(hsm, "hsm");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1");
        }
    }

    JobParameters toJobParameters() {
        JobParametersBuilder builder = new JobParametersBuilder()
                .addString(MANIFEST, manifest.toAbsolutePath().normalize().toString(), true)
                .addString(MANIFEST_SHA256, manifestSha256, true)
                .addString(OUT, out.toAbsolutePath().normalize().toString(), true)
                .addString(FORMAT, format.name(), false)
                .addString(OUTPUT_ID, outputId, false)
                .addLong(THREADS, (long) threads, false)
                .addLong(CHUNK_SIZE, (long) chunkSize, false)
                .addLong(SKIP_LIMIT, skipLimit, false)
                .addString(KEY, key.map(KeyAlgorithm::id).orElse(""), false)
                .addString(PROFILE, profile.map(p -> p.toAbsolutePath().normalize().toString()).orElse(""), false)
                .addString(CA, ca.toAbsolutePath().normalize().toString(), false)
                .addString(PKCS12, Boolean.toString(pkcs12), false)
                .addString(CRYPTO_PROVIDER, cryptoProvider.id(), false)
                .addString(TEMPLATE, template.map(t -> t.toAbsolutePath().normalize().toString()).orElse(""), false)
                .addString(CN_TO_SAN, Boolean.toString(cnToSan), false)
                .addString(KEY_POOL, keyPool.map(k -> k.toAbsolutePath().normalize().toString()).orElse(""), false)
                .addString(BUNDLE_LAYOUT, bundleLayout.id(), false)
                .addString(KEYS, keys.id(), false)
                .addString(HSM, hsm.map(h -> h.toAbsolutePath().normalize().toString()).orElse(""), false);
        registration.addTo(builder, false);
        return builder.toJobParameters();
    }

    static RunRequest of(JobParameters p) {
        String key = p.getString(KEY, "");
        String profile = p.getString(PROFILE, "");
        String template = p.getString(TEMPLATE, "");
        return new RunRequest(Path.of(p.getString(MANIFEST)), p.getString(MANIFEST_SHA256),
                ManifestFormat.valueOf(p.getString(FORMAT)), Path.of(p.getString(OUT)), p.getString(OUTPUT_ID),
                p.getLong(THREADS).intValue(), p.getLong(CHUNK_SIZE).intValue(), p.getLong(SKIP_LIMIT),
                key.isEmpty() ? Optional.empty() : Optional.of(KeyAlgorithm.fromId(key)),
                profile.isEmpty() ? Optional.empty() : Optional.of(Path.of(profile)), Path.of(p.getString(CA)),
                Boolean.parseBoolean(p.getString(PKCS12, "false")),
                CryptoProvider.fromId(p.getString(CRYPTO_PROVIDER, CryptoProvider.AUTO.id())),
                template.isEmpty() ? Optional.empty() : Optional.of(Path.of(template)),
                Boolean.parseBoolean(p.getString(CN_TO_SAN, "false")),
                p.getString(KEY_POOL, "").isEmpty() ? Optional.empty() : Optional.of(Path.of(p.getString(KEY_POOL))),
                RegistrationRequest.of(p), BundleLayout.fromId(p.getString(BUNDLE_LAYOUT, BundleLayout.DIR.id())),
                KeyOrigin.fromId(p.getString(KEYS, KeyOrigin.SOFTWARE.id())),
                p.getString(HSM, "").isEmpty() ? Optional.empty() : Optional.of(Path.of(p.getString(HSM))));
    }

    public RunRequest withOutputId(String id) {
        return new RunRequest(manifest, manifestSha256, format, out, id, threads, chunkSize, skipLimit, key, profile, ca,
                pkcs12, cryptoProvider, template, cnToSan, keyPool, registration, bundleLayout, keys, hsm);
    }

    public RunRequest withBundleLayout(BundleLayout layout) {
        return new RunRequest(manifest, manifestSha256, format, out, outputId, threads, chunkSize, skipLimit, key, profile,
                ca, pkcs12, cryptoProvider, template, cnToSan, keyPool, registration, layout, keys, hsm);
    }

    /** Whether both would unlock and issue with the same CA, profile, default key and bundle options. */
    public boolean sameIssuance(RunRequest other) {
        return ca.equals(other.ca) && profile.equals(other.profile) && key.equals(other.key) && pkcs12 == other.pkcs12
                && out.equals(other.out) && cryptoProvider == other.cryptoProvider && keyPool.equals(other.keyPool)
                && bundleLayout == other.bundleLayout && keys == other.keys && hsm.equals(other.hsm);
    }
}
