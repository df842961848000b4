package dev.keyline.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.springframework.batch.core.job.parameters.JobParameters;

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
        // absolute, as its job parameter keeps it: a request equals itself read back
        config = Objects.requireNonNull(config, "config").map(c -> c.toAbsolutePath().normalize());
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
        return builder().build();
    }

    public boolean registers() {
        return !targets.isEmpty();
    }

    static Builder builder() {
        return new Builder();
    }

    Builder toBuilder() {
        return builder().targets(targets).config(config).settings(settings).threads(threads);
    }

    /** Read back from the job parameters of a run or a {@code register} run, as {@link RunSettings#REGISTRATION} says. */
    static RegistrationRequest of(JobParameters parameters) {
        Builder builder = builder();
        RunSettings.REGISTRATION.forEach(setting -> setting.read(parameters, builder));
        return builder.build();
    }

    /** Where the job parameters are read back into; its defaults are those of {@link #none()}. */
    static final class Builder {

        private List<String> targets = List.of();
        private Optional<Path> config = Optional.empty();
        private List<String> settings = List.of();
        private int threads = 8;

        private Builder() {
        }

        Builder targets(List<String> targets) {
            this.targets = targets;
            return this;
        }

        Builder config(Optional<Path> config) {
            this.config = config;
            return this;
        }

        Builder settings(List<String> settings) {
            this.settings = settings;
            return this;
        }

        Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        RegistrationRequest build() {
            return new RegistrationRequest(targets, config, settings, threads);
        }
    }
}
