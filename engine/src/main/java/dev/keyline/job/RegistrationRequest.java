package dev.keyline.job;

import static dev.keyline.job.JobParameterNames.*;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import dev.keyline.error.InvalidSettingException;

/**
 * How a run registers its identities, kept as job parameters so a restart registers with the same targets:
 * which targets, where their configuration is (a file, and command-line settings on top), how many threads.
 * Nothing secret: AWS credentials come from the default chain, a profile or a role.
 *
 * @param targets  target names; empty: the run does not register
 * @param settings {@code keyline.targets.<name>.<key>=value} lines given on the command line
 */
public record RegistrationRequest(List<String> targets, Optional<Path> config, List<String> settings, int threads) {

    /** Spring Batch keeps a string parameter in a VARCHAR(2500) column. */
    private static final int MAX_PARAMETER = 2500;

    public RegistrationRequest {
        targets = List.copyOf(targets);
        Objects.requireNonNull(config, "config");
        settings = List.copyOf(settings);
        if (threads < 1 || threads > 256) {
            throw new InvalidSettingException("--register-threads", "--register-threads must be between 1 and 256, not "
                    + threads);
        }
        if (String.join("\n", settings).length() > MAX_PARAMETER - 100) {
            throw new InvalidSettingException("--keyline.targets", "the --keyline.targets... arguments are too long to keep for a restart: "
                    + "put them in a YAML file given with --config FILE");
        }
    }

    public static RegistrationRequest none() {
        return new RegistrationRequest(List.of(), Optional.empty(), List.of(), 8);
    }

    public boolean registers() {
        return !targets.isEmpty();
    }

    void addTo(JobParametersBuilder builder, boolean identifying) {
        builder.addString(REGISTER_TARGETS, String.join(",", targets), identifying)
                .addString(REGISTER_CONFIG, config.map(c -> c.toAbsolutePath().normalize().toString()).orElse(""), false)
                .addString(REGISTER_SETTINGS, String.join("\n", settings), false)
                .addLong(REGISTER_THREADS, (long) threads, false);
    }

    static RegistrationRequest of(JobParameters p) {
        String targets = p.getString(REGISTER_TARGETS, "");
        String config = p.getString(REGISTER_CONFIG, "");
        String settings = p.getString(REGISTER_SETTINGS, "");
        Long threads = p.getLong(REGISTER_THREADS, 8L);
        return new RegistrationRequest(targets.isEmpty() ? List.of() : Arrays.asList(targets.split(",")),
                config.isEmpty() ? Optional.empty() : Optional.of(Path.of(config)),
                settings.isEmpty() ? List.of() : Arrays.asList(settings.split("\n")), threads.intValue());
    }
}
