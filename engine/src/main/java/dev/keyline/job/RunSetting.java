package dev.keyline.job;

import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * One setting of a run, described once: the job parameter it is kept as, whether that parameter identifies the run,
 * whether the issuance kit is built from it, and what its absence means. {@link RunSettings} lists them; a request's
 * job parameters, the request read back from them (by a restart, or a worker), and
 * {@link RunRequest#sameIssuance} all follow from that list, so none of them can leave a setting out.
 *
 * @param <R>    the request that holds the setting
 * @param <B>    the builder that request is read back into
 * @param <V>    the setting's value
 * @param value  where the request holds it
 * @param apply  where the builder takes it
 * @param absent what a run whose job parameters lack it meant (an earlier version did not write it); empty: every
 *               version wrote it, and a run without it cannot be read
 */
record RunSetting<R, B, V>(String name, Set<Trait> traits, ParameterCodec<V, ?> codec, Optional<V> absent,
                           Function<R, V> value, BiConsumer<B, V> apply) {

    enum Trait {
        /** Part of the job instance's identity: a run with other values is another run, not a resume. */
        IDENTIFYING,
        /**
         * The issuance kit (CA, profile, key source, bundle options) is built from it, so a resume whose command line
         * differs in it needs a kit built from the run's own settings.
         */
        KIT
    }

    RunSetting {
        traits = Set.copyOf(traits);
    }

    static <R, B, V> RunSetting<R, B, V> of(String name, ParameterCodec<V, ?> codec, Function<R, V> value,
                                            BiConsumer<B, V> apply, Trait... traits) {
        return new RunSetting<>(name, Set.of(traits), codec, Optional.empty(), value, apply);
    }

    /** The same setting, read as {@code meaning} from job parameters written before it existed. */
    RunSetting<R, B, V> absentMeans(V meaning) {
        return new RunSetting<>(name, traits, codec, Optional.of(meaning), value, apply);
    }

    /** The same setting, held by a part of a larger request (a run's registration). */
    <O, C> RunSetting<O, C, V> within(Function<O, R> part, Function<C, B> partBuilder) {
        return new RunSetting<>(name, traits, codec, absent, o -> value.apply(part.apply(o)),
                (c, v) -> apply.accept(partBuilder.apply(c), v));
    }

    boolean identifying() {
        return traits.contains(Trait.IDENTIFYING);
    }

    boolean buildsKit() {
        return traits.contains(Trait.KIT);
    }

    void write(R request, JobParametersBuilder parameters) {
        add(codec, value.apply(request), parameters);
    }

    private <P> void add(ParameterCodec<V, P> typed, V v, JobParametersBuilder parameters) {
        parameters.addJobParameter(name, typed.encode().apply(v), typed.type(), identifying());
    }

    void read(JobParameters parameters, B builder) {
        apply.accept(builder, decode(codec, parameters));
    }

    private <P> V decode(ParameterCodec<V, P> typed, JobParameters parameters) {
        JobParameter<?> parameter = parameters.getParameter(name);
        if (parameter == null) {
            return absent.orElseThrow(() -> new IllegalStateException("the run's job parameters lack '" + name
                    + "', which every version of Keyline wrote: they are not a Keyline run's"));
        }
        if (!typed.type().isInstance(parameter.value())) {
            throw new IllegalStateException("the run's job parameter '" + name + "' is a "
                    + parameter.type().getSimpleName() + ", not a " + typed.type().getSimpleName());
        }
        return typed.decode().apply(typed.type().cast(parameter.value()));
    }

    boolean same(R one, R other) {
        return value.apply(one).equals(value.apply(other));
    }
}
