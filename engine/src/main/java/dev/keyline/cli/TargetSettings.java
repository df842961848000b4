package dev.keyline.cli;

import java.util.ArrayList;
import java.util.List;

import dev.keyline.aws.TargetConfiguration;

/**
 * The registration targets of a command, Spring Boot style: {@code --config FILE} (YAML under {@code keyline.targets})
 * flattened to {@code keyline.targets.<name>.<key>} settings, with {@code --keyline.targets.<name>.<key>=value}
 * arguments on top: this class reads the arguments; {@link dev.keyline.job.RegistrationTargets} reads and checks the
 * targets for every process that registers.
 */
final class TargetSettings {

    private static final String ARGUMENT_PREFIX = "--" + TargetConfiguration.PREFIX;

    /**
     * The help of {@code --config}, which also tells of the {@code --keyline.targets.*} arguments: picocli shows no
     * help for unmatched arguments, so every command that takes them says so here.
     */
    static final String CONFIG_HELP = "YAML file with keyline.targets.<name>.<key> settings (see samples/targets.yaml). "
            + "Each setting can also be an argument --keyline.targets.<name>.<key>=value, which wins over the file";

    private TargetSettings() {
    }

    /**
     * The {@code --keyline.targets...=value} arguments picocli did not match, as settings lines without the dashes.
     *
     * @throws UnknownArgumentException for any other unmatched argument
     */
    static List<String> fromArguments(List<String> unmatched) {
        List<String> settings = new ArrayList<>();
        for (String argument : unmatched) {
            if (!argument.startsWith(ARGUMENT_PREFIX) || argument.indexOf('=') < 0) {
                throw new UnknownArgumentException(argument, "unknown option or argument '" + argument + "'"
                        + (argument.startsWith("--keyline") ? ": write target settings as --keyline.targets.<name>.<key>=value" : ""));
            }
            settings.add(argument.substring(2));
        }
        return settings;
    }
}
