package dev.keyline.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How a setting's value is kept as a job parameter: the parameter's type and the conversion each way. The types and
 * the text are those Keyline has always written (flags as the strings "true" and "false", counts as Long), because
 * the job repository keeps them: a run started by an earlier version must read back, and must name the same job
 * instance, or it could not be restarted.
 *
 * @param <V> the value as a request holds it
 * @param <P> the job parameter's type
 */
record ParameterCodec<V, P>(Class<P> type, Function<V, P> encode, Function<P, V> decode) {

    static final ParameterCodec<String, String> STRING = new ParameterCodec<>(String.class, s -> s, s -> s);

    static final ParameterCodec<Long, Long> LONG = new ParameterCodec<>(Long.class, l -> l, l -> l);

    static final ParameterCodec<Integer, Long> INT = new ParameterCodec<>(Long.class, Integer::longValue, Math::toIntExact);

    static final ParameterCodec<Boolean, String> FLAG = new ParameterCodec<>(String.class, b -> Boolean.toString(b),
            Boolean::parseBoolean);

    /** Absolute: a restart, or a worker on another machine, may start in another working directory. */
    static final ParameterCodec<Path, String> PATH = new ParameterCodec<>(String.class,
            p -> p.toAbsolutePath().normalize().toString(), Path::of);

    /** A choice kept by its id, e.g. an enum's command-line name. */
    static <E> ParameterCodec<E, String> id(Function<E, String> id, Function<String, E> fromId) {
        return new ParameterCodec<>(String.class, id, fromId);
    }

    /** Nothing as the empty string, which no present value encodes to. */
    static <V> ParameterCodec<Optional<V>, String> optional(ParameterCodec<V, String> present) {
        return new ParameterCodec<>(String.class, v -> v.map(present.encode()).orElse(""),
                s -> s.isEmpty() ? Optional.empty() : Optional.of(present.decode().apply(s)));
    }

    /** Values joined by a separator none of them holds; the empty list as the empty string. */
    static ParameterCodec<List<String>, String> joined(String separator) {
        return new ParameterCodec<>(String.class, v -> String.join(separator, v),
                s -> s.isEmpty() ? List.of() : List.of(s.split(Pattern.quote(separator))));
    }
}
