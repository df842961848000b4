package dev.keyline.job;

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
 * A run's settings, which become its job parameters as {@link RunSettings} describes them; made with
 * {@link #builder}. Nothing secret: passphrases and PINs are read again from the environment or a file when a run
 * restarts.
 *
 * @param skipLimit the most rejected rows accepted; negative: no limit
 * @param template  provisioning template each device is linted against before signing (a restart re-applies it)
 * @param cnToSan   copy a host-name or IP CN into the SAN
 * @param registration the register step's targets (none: the step registers nothing)
 * @param bundleLayout a folder per device, or an archive per chunk
 * @param keys     where device keys are made ({@code --keys})
 * @param hsm      with {@code keys} HSM: the HSM configuration of the token ({@code --hsm}); empty: the CA's token
 * @param placement where the issue step's partitions run: this process's threads, or remote workers
 */
public record RunRequest(Path manifest, String manifestSha256, ManifestFormat format, Path out, String outputId,
                         int threads, int chunkSize, long skipLimit, Optional<KeyAlgorithm> key,
                         Optional<Path> profile, Path ca, boolean pkcs12, CryptoProvider cryptoProvider,
                         Optional<Path> template, boolean cnToSan, Optional<Path> keyPool,
                         RegistrationRequest registration, BundleLayout bundleLayout, KeyOrigin keys,
                         Optional<Path> hsm, Placement placement) {

    public RunRequest {
        // Paths absolute, as their job parameters keep them: a request equals itself read back.
        manifest = absolute(Objects.requireNonNull(manifest, "manifest"));
        Objects.requireNonNull(manifestSha256, "manifestSha256");
        Objects.requireNonNull(format, "format");
        out = absolute(Objects.requireNonNull(out, "out"));
        Objects.requireNonNull(outputId, "outputId");
        Objects.requireNonNull(key, "key");
        profile = Objects.requireNonNull(profile, "profile").map(RunRequest::absolute);
        ca = absolute(Objects.requireNonNull(ca, "ca"));
        Objects.requireNonNull(cryptoProvider, "cryptoProvider");
        template = Objects.requireNonNull(template, "template").map(RunRequest::absolute);
        keyPool = Objects.requireNonNull(keyPool, "keyPool").map(RunRequest::absolute);
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(bundleLayout, "bundleLayout");
        Objects.requireNonNull(keys, "keys");
        hsm = Objects.requireNonNull(hsm, "hsm").map(RunRequest::absolute);
        Objects.requireNonNull(placement, "placement");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1");
        }
    }

    /**
     * A request with the defaults of {@link Builder} for everything else.
     *
     * @param outputId the id in the output's {@code .keyline/output.properties}, which keys its ledger rows
     */
    public static Builder builder(Path manifest, String manifestSha256, Path out, String outputId, Path ca) {
        return new Builder().manifest(manifest).manifestSha256(manifestSha256).out(out).outputId(outputId).ca(ca);
    }

    public Builder toBuilder() {
        return builder(manifest, manifestSha256, out, outputId, ca).format(format).threads(threads).chunkSize(chunkSize)
                .skipLimit(skipLimit).key(key).profile(profile).pkcs12(pkcs12).cryptoProvider(cryptoProvider)
                .template(template).cnToSan(cnToSan).keyPool(keyPool).registration(registration)
                .bundleLayout(bundleLayout).keys(keys).hsm(hsm).placement(placement);
    }

    JobParameters toJobParameters() {
        JobParametersBuilder parameters = new JobParametersBuilder();
        RunSettings.ALL.forEach(setting -> setting.write(this, parameters));
        return parameters.toJobParameters();
    }

    /** The request a run was started with, read back from its job parameters (a restart's, or a worker's). */
    public static RunRequest of(JobParameters parameters) {
        Builder builder = new Builder();
        RunSettings.ALL.forEach(setting -> setting.read(parameters, builder));
        return builder.build();
    }

    public RunRequest withOutputId(String id) {
        return toBuilder().outputId(id).build();
    }

    /**
     * Whether both build the same issuance kit: the same CA, profile, default key, key source and bundle options (the
     * settings {@link RunSettings} marks {@code KIT}). The template and {@code --cn-to-san} change what is issued too,
     * but the issue step reads them from the run's job parameters itself.
     */
    public boolean sameIssuance(RunRequest other) {
        return RunSettings.ALL.stream().filter(RunSetting::buildsKit).allMatch(setting -> setting.same(this, other));
    }

    private static Path absolute(Path path) {
        return path.toAbsolutePath().normalize();
    }

    /**
     * The optional settings, each with its default: a CSV manifest, one thread, chunks of 500 devices, no skip limit,
     * the profile's key, the default profile, no PKCS#12, crypto provider {@code auto}, no template, no
     * {@code --cn-to-san}, no key pool, no registration, a folder per device, software keys, this process's threads.
     */
    public static final class Builder {

        private Path manifest;
        private String manifestSha256;
        private Path out;
        private String outputId;
        private Path ca;
        private ManifestFormat format = ManifestFormat.CSV;
        private int threads = 1;
        private int chunkSize = 500;
        private long skipLimit = -1;
        private Optional<KeyAlgorithm> key = Optional.empty();
        private Optional<Path> profile = Optional.empty();
        private boolean pkcs12;
        private CryptoProvider cryptoProvider = CryptoProvider.AUTO;
        private Optional<Path> template = Optional.empty();
        private boolean cnToSan;
        private Optional<Path> keyPool = Optional.empty();
        private RegistrationRequest.Builder registration = RegistrationRequest.builder();
        private BundleLayout bundleLayout = BundleLayout.DIR;
        private KeyOrigin keys = KeyOrigin.SOFTWARE;
        private Optional<Path> hsm = Optional.empty();
        private Placement placement = Placement.LOCAL;

        /** Empty, for {@link RunRequest#of}: every required setting is then read from the job parameters. */
        Builder() {
        }

        Builder manifest(Path manifest) {
            this.manifest = manifest;
            return this;
        }

        Builder manifestSha256(String manifestSha256) {
            this.manifestSha256 = manifestSha256;
            return this;
        }

        Builder out(Path out) {
            this.out = out;
            return this;
        }

        public Builder outputId(String outputId) {
            this.outputId = outputId;
            return this;
        }

        Builder ca(Path ca) {
            this.ca = ca;
            return this;
        }

        public Builder format(ManifestFormat format) {
            this.format = format;
            return this;
        }

        /** Partitions of the issue step, each on its own thread. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Devices per transaction. */
        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        /** The most rejected rows accepted; negative: no limit. */
        public Builder skipLimit(long skipLimit) {
            this.skipLimit = skipLimit;
            return this;
        }

        /** The key of rows without a {@code key} column; empty: the profile's default. */
        public Builder key(Optional<KeyAlgorithm> key) {
            this.key = key;
            return this;
        }

        /** Empty: the default profile. */
        public Builder profile(Optional<Path> profile) {
            this.profile = profile;
            return this;
        }

        public Builder pkcs12(boolean pkcs12) {
            this.pkcs12 = pkcs12;
            return this;
        }

        public Builder cryptoProvider(CryptoProvider cryptoProvider) {
            this.cryptoProvider = cryptoProvider;
            return this;
        }

        public Builder template(Optional<Path> template) {
            this.template = template;
            return this;
        }

        public Builder cnToSan(boolean cnToSan) {
            this.cnToSan = cnToSan;
            return this;
        }

        public Builder keyPool(Optional<Path> keyPool) {
            this.keyPool = keyPool;
            return this;
        }

        /** Default: {@link RegistrationRequest#none()}. */
        public Builder registration(RegistrationRequest registration) {
            this.registration = registration.toBuilder();
            return this;
        }

        /** Where {@link RunSettings} reads the registration's settings back into. */
        RegistrationRequest.Builder registrationBuilder() {
            return registration;
        }

        public Builder bundleLayout(BundleLayout bundleLayout) {
            this.bundleLayout = bundleLayout;
            return this;
        }

        public Builder keys(KeyOrigin keys) {
            this.keys = keys;
            return this;
        }

        /** With {@code keys} HSM: the token's configuration; empty: the CA's token. */
        public Builder hsm(Optional<Path> hsm) {
            this.hsm = hsm;
            return this;
        }

        /** Default: {@link Placement#LOCAL}. */
        public Builder placement(Placement placement) {
            this.placement = placement;
            return this;
        }

        public RunRequest build() {
            return new RunRequest(manifest, manifestSha256, format, out, outputId, threads, chunkSize, skipLimit, key,
                    profile, ca, pkcs12, cryptoProvider, template, cnToSan, keyPool, registration.build(), bundleLayout,
                    keys, hsm, placement);
        }
    }
}
