package dev.keyline.job;

import static dev.keyline.job.JobParameterNames.*;
import static dev.keyline.job.ParameterCodec.FLAG;
import static dev.keyline.job.ParameterCodec.INT;
import static dev.keyline.job.ParameterCodec.LONG;
import static dev.keyline.job.ParameterCodec.PATH;
import static dev.keyline.job.ParameterCodec.STRING;
import static dev.keyline.job.ParameterCodec.id;
import static dev.keyline.job.ParameterCodec.joined;
import static dev.keyline.job.ParameterCodec.optional;
import static dev.keyline.job.RunSetting.Trait.IDENTIFYING;
import static dev.keyline.job.RunSetting.Trait.KIT;

import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.keyline.bundle.BundleLayout;
import dev.keyline.device.ManifestFormat;
import dev.keyline.job.RunRequest.Builder;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeyOrigin;

/**
 * Every setting of a run, each described once (see {@link RunSetting}); {@code docs/pipeline.md} says why.
 *
 * <p>The job repository keeps what earlier versions wrote, so the names, the parameter types and the identifying
 * flags here are a stored format: changing one would leave runs of earlier versions unreadable, or make their
 * restart a new job instance. A new setting says what its absence meant, since runs started before it lack it.
 */
final class RunSettings {

    /** How a run registers; a {@code register} run keeps them too. None identifies a run or builds its kit. */
    static final List<RunSetting<RegistrationRequest, RegistrationRequest.Builder, ?>> REGISTRATION = List.of(
            registration(REGISTER_TARGETS, joined(","), RegistrationRequest::targets,
                    RegistrationRequest.Builder::targets).absentMeans(List.of()),
            registration(REGISTER_CONFIG, optional(PATH), RegistrationRequest::config,
                    RegistrationRequest.Builder::config).absentMeans(Optional.empty()),
            registration(REGISTER_SETTINGS, joined("\n"), RegistrationRequest::settings,
                    RegistrationRequest.Builder::settings).absentMeans(List.of()),
            registration(REGISTER_THREADS, INT, RegistrationRequest::threads, RegistrationRequest.Builder::threads)
                    .absentMeans(8));

    /** Every setting of a {@link RunRequest}, its registration's included. */
    static final List<RunSetting<RunRequest, Builder, ?>> ALL = withRegistration(
            run(MANIFEST, PATH, RunRequest::manifest, Builder::manifest, IDENTIFYING),
            run(MANIFEST_SHA256, STRING, RunRequest::manifestSha256, Builder::manifestSha256, IDENTIFYING),
            run(OUT, PATH, RunRequest::out, Builder::out, IDENTIFYING, KIT),
            run(FORMAT, id(ManifestFormat::name, ManifestFormat::valueOf), RunRequest::format, Builder::format),
            run(OUTPUT_ID, STRING, RunRequest::outputId, Builder::outputId),
            run(THREADS, INT, RunRequest::threads, Builder::threads),
            run(CHUNK_SIZE, INT, RunRequest::chunkSize, Builder::chunkSize),
            run(SKIP_LIMIT, LONG, RunRequest::skipLimit, Builder::skipLimit),
            run(KEY, optional(id(KeyAlgorithm::id, KeyAlgorithm::fromId)), RunRequest::key, Builder::key, KIT)
                    .absentMeans(Optional.empty()),
            run(PROFILE, optional(PATH), RunRequest::profile, Builder::profile, KIT).absentMeans(Optional.empty()),
            run(CA, PATH, RunRequest::ca, Builder::ca, KIT),
            run(PKCS12, FLAG, RunRequest::pkcs12, Builder::pkcs12, KIT).absentMeans(false),
            run(CRYPTO_PROVIDER, id(CryptoProvider::id, CryptoProvider::fromId), RunRequest::cryptoProvider,
                    Builder::cryptoProvider, KIT).absentMeans(CryptoProvider.AUTO),
            // The issue step reads these two from the job parameters itself, so they apply whatever kit it is given.
            run(TEMPLATE, optional(PATH), RunRequest::template, Builder::template).absentMeans(Optional.empty()),
            run(CN_TO_SAN, FLAG, RunRequest::cnToSan, Builder::cnToSan).absentMeans(false),
            run(KEY_POOL, optional(PATH), RunRequest::keyPool, Builder::keyPool, KIT).absentMeans(Optional.empty()),
            run(BUNDLE_LAYOUT, id(BundleLayout::id, BundleLayout::fromId), RunRequest::bundleLayout,
                    Builder::bundleLayout, KIT).absentMeans(BundleLayout.DIR),
            run(KEYS, id(KeyOrigin::id, KeyOrigin::fromId), RunRequest::keys, Builder::keys, KIT)
                    .absentMeans(KeyOrigin.SOFTWARE),
            run(HSM, optional(PATH), RunRequest::hsm, Builder::hsm, KIT).absentMeans(Optional.empty()),
            // Where partitions run changes no certificate: a restart may not change it, but it names no other run.
            run(WORKERS, id(Placement::encode, Placement::decode), RunRequest::placement, Builder::placement)
                    .absentMeans(Placement.LOCAL));

    private RunSettings() {
    }

    private static <V> RunSetting<RunRequest, Builder, V> run(String name, ParameterCodec<V, ?> codec,
            Function<RunRequest, V> value, BiConsumer<Builder, V> apply, RunSetting.Trait... traits) {
        return RunSetting.of(name, codec, value, apply, traits);
    }

    private static <V> RunSetting<RegistrationRequest, RegistrationRequest.Builder, V> registration(String name,
            ParameterCodec<V, ?> codec, Function<RegistrationRequest, V> value,
            BiConsumer<RegistrationRequest.Builder, V> apply) {
        return RunSetting.of(name, codec, value, apply);
    }

    @SafeVarargs
    private static List<RunSetting<RunRequest, Builder, ?>> withRegistration(RunSetting<RunRequest, Builder, ?>... own) {
        return Stream.concat(Stream.of(own), REGISTRATION.stream().map(RunSettings::ofRun)).toList();
    }

    private static <V> RunSetting<RunRequest, Builder, V> ofRun(
            RunSetting<RegistrationRequest, RegistrationRequest.Builder, V> setting) {
        return setting.within(RunRequest::registration, Builder::registrationBuilder);
    }
}
