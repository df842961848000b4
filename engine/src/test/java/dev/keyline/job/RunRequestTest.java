package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import dev.keyline.bundle.BundleLayout;
import dev.keyline.device.ManifestFormat;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeyOrigin;

/**
 * A run's settings survive its job parameters, which a restart and a worker read the run back from, and
 * {@link RunSettings} describes every one of them: a setting left out would silently take its default there.
 */
class RunRequestTest {

    /** Every setting away from its default. */
    static final RunRequest EVERY_SETTING_SET = RunRequest.builder(Path.of("/runs/devices.jsonl"), "5e1f",
                    Path.of("/runs/out"), "output-7", Path.of("/cas/root"))
            .format(ManifestFormat.JSONL).threads(3).chunkSize(7).skipLimit(11).key(Optional.of(KeyAlgorithm.EC_P384))
            .profile(Optional.of(Path.of("/runs/profile.yaml"))).pkcs12(true).cryptoProvider(CryptoProvider.JDK)
            .template(Optional.of(Path.of("/runs/jitp.json"))).cnToSan(true).keyPool(Optional.of(Path.of("/pools/rsa")))
            .registration(new RegistrationRequest(List.of("eu", "us"), Optional.of(Path.of("/runs/targets.yaml")),
                    List.of("keyline.targets.eu.region=eu-west-1", "keyline.targets.us.region=us-east-1"), 5))
            .bundleLayout(BundleLayout.ARCHIVE).keys(KeyOrigin.HSM).hsm(Optional.of(Path.of("/runs/hsm.yaml")))
            .placement(new Placement.Remote(BrokerAddress.parse("amqp://line@mq.example:5673/fab%201"), "keyline.fab",
                    24, java.time.Duration.ofSeconds(40), 3))
            .build();

    /** The builder's defaults, and other values where a setting is required: unlike the above in every setting. */
    static final RunRequest DEFAULTS = RunRequest.builder(Path.of("/runs/other.csv"), "77aa", Path.of("/runs/other"),
            "output-8", Path.of("/cas/other")).build();

    /** What the issuance kit is built from, by record component. */
    static final Set<String> KIT = Set.of("out", "key", "profile", "ca", "pkcs12", "cryptoProvider", "keyPool",
            "bundleLayout", "keys", "hsm");

    @Test
    void theFixturesDifferInEveryComponent() {
        variants().forEach((component, variant) ->
                assertThat(variant).as("give %s another value in EVERY_SETTING_SET than in DEFAULTS", component)
                        .isNotEqualTo(EVERY_SETTING_SET));
    }

    @Test
    void everyComponentOfARequestReachesItsJobParameters() {
        Set<Stored> every = Stored.of(EVERY_SETTING_SET.toJobParameters());
        variants().forEach((component, variant) ->
                assertThat(Stored.of(variant.toJobParameters())).as("%s is not described in RunSettings", component)
                        .isNotEqualTo(every));
    }

    @Test
    void aRequestIsReadBackFromItsJobParametersAsItWas() {
        assertThat(RunRequest.of(EVERY_SETTING_SET.toJobParameters())).isEqualTo(EVERY_SETTING_SET);
        assertThat(RunRequest.of(DEFAULTS.toJobParameters())).isEqualTo(DEFAULTS);
        variants().forEach((component, variant) ->
                assertThat(RunRequest.of(variant.toJobParameters())).as(component).isEqualTo(variant));
    }

    @Test
    void everySettingWithADefaultIsReadBackWhenItIsNotTheDefault() {
        RunRequest back = RunRequest.of(EVERY_SETTING_SET.toJobParameters());
        for (RunSetting<RunRequest, RunRequest.Builder, ?> setting : RunSettings.ALL) {
            setting.absent().ifPresent(absent -> assertThat(setting.value().apply(EVERY_SETTING_SET))
                    .as("EVERY_SETTING_SET leaves %s at what its absence means", setting.name()).isNotEqualTo(absent));
            assertThat(setting.same(back, EVERY_SETTING_SET)).as(setting.name()).isTrue();
        }
    }

    @Test
    void sameIssuanceDiffersExactlyWhenASettingTheKitIsBuiltFromDiffers() {
        assertThat(EVERY_SETTING_SET.sameIssuance(RunRequest.of(EVERY_SETTING_SET.toJobParameters()))).isTrue();
        variants().forEach((component, variant) ->
                assertThat(EVERY_SETTING_SET.sameIssuance(variant)).as(component).isEqualTo(!KIT.contains(component)));
    }

    @Test
    void onlyTheManifestItsContentAndTheOutputIdentifyARun() {
        assertThat(EVERY_SETTING_SET.toJobParameters().getIdentifyingParameters()).extracting(JobParameter::name)
                .containsExactlyInAnyOrder(JobParameterNames.MANIFEST, JobParameterNames.MANIFEST_SHA256,
                        JobParameterNames.OUT);
    }

    @Test
    void everySettingHasAJobParameterOfItsOwn() {
        assertThat(RunSettings.ALL).extracting(RunSetting::name).doesNotHaveDuplicates();
        assertThat(EVERY_SETTING_SET.toJobParameters().parameters()).hasSameSizeAs(RunSettings.ALL);
    }

    @Test
    void pathsAreKeptAbsoluteSoARestartElsewhereFindsThem() {
        RunRequest relative = RunRequest.builder(Path.of("m.csv"), "00", Path.of("out/../out"), "id", Path.of("ca"))
                .build();
        Path here = Path.of("").toAbsolutePath();
        assertThat(relative.manifest()).isEqualTo(here.resolve("m.csv"));
        assertThat(relative.out()).isEqualTo(here.resolve("out"));
        assertThat(relative.toJobParameters().getString(JobParameterNames.CA)).isEqualTo(here.resolve("ca").toString());
        assertThat(RunRequest.of(relative.toJobParameters())).isEqualTo(relative);
    }

    @Test
    void aMissingRequiredParameterIsNamed() {
        JobParameters parameters = without(EVERY_SETTING_SET.toJobParameters(), JobParameterNames.OUTPUT_ID);
        assertThatThrownBy(() -> RunRequest.of(parameters)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'output-id'");
    }

    @Test
    void aParameterOfAnotherTypeIsNamed() {
        JobParameters parameters = new JobParametersBuilder(without(EVERY_SETTING_SET.toJobParameters(),
                JobParameterNames.THREADS)).addString(JobParameterNames.THREADS, "3", false).toJobParameters();
        assertThatThrownBy(() -> RunRequest.of(parameters)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'threads' is a String, not a Long");
    }

    /**
     * EVERY_SETTING_SET with one component, or one component of its registration, as in DEFAULTS; by component name.
     * Reflection, so that a component added later is among them without this test knowing it.
     */
    static Map<String, RunRequest> variants() {
        Map<String, RunRequest> variants = new LinkedHashMap<>();
        for (RecordComponent component : RunRequest.class.getRecordComponents()) {
            if (component.getType() == RegistrationRequest.class) {
                for (RecordComponent part : RegistrationRequest.class.getRecordComponents()) {
                    RegistrationRequest registration = with(EVERY_SETTING_SET.registration(), part,
                            value(DEFAULTS.registration(), part));
                    variants.put(component.getName() + "." + part.getName(),
                            with(EVERY_SETTING_SET, component, registration));
                }
            } else {
                variants.put(component.getName(), with(EVERY_SETTING_SET, component, value(DEFAULTS, component)));
            }
        }
        return variants;
    }

    private static Object value(Record record, RecordComponent component) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A copy of the record with one component replaced, through its canonical constructor. */
    @SuppressWarnings("unchecked")
    private static <R extends Record> R with(R record, RecordComponent replaced, Object value) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = Arrays.stream(components)
                .map(c -> c.getName().equals(replaced.getName()) ? value : value(record, c)).toArray();
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return (R) record.getClass().getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A job parameter as the repository stores it: {@link JobParameter} itself is equal to any of the same name. */
    record Stored(String name, Class<?> type, Object value, boolean identifying) {

        static Set<Stored> of(JobParameters parameters) {
            return parameters.parameters().stream()
                    .map(p -> new Stored(p.name(), p.type(), p.value(), p.identifying()))
                    .collect(Collectors.toSet());
        }
    }

    private static JobParameters without(JobParameters parameters, String name) {
        JobParametersBuilder builder = new JobParametersBuilder();
        parameters.parameters().stream().filter(p -> !p.name().equals(name)).forEach(builder::addJobParameter);
        return builder.toJobParameters();
    }
}
