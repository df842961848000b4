package dev.keyline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.keyline.aws.InvalidTargetException;
import dev.keyline.aws.RegistrationTarget;
import dev.keyline.aws.Registrars;
import dev.keyline.aws.RetryPolicy;
import dev.keyline.aws.TargetConfiguration;
import dev.keyline.job.RegistrationRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The registration targets of a command, Spring Boot style: {@code --config FILE} (YAML under {@code keyline.targets})
 * flattened to {@code keyline.targets.<name>.<key>} settings, with {@code --keyline.targets.<name>.<key>=value}
 * arguments on top. Checked completely before anything is called: a problem is exit code 2 naming the setting.
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

    /** The targets the request names, configured and checked, in the request's order. */
    static List<RegistrationTarget> selected(RegistrationRequest request, Path ca) {
        Map<String, RegistrationTarget> configured = configured(request, ca);
        List<RegistrationTarget> chosen = new ArrayList<>();
        for (String name : request.targets()) {
            RegistrationTarget target = configured.get(name);
            if (target == null) {
                throw new UsageException("--target " + name + " is not configured: "
                        + (configured.isEmpty() ? "give --config FILE or --keyline.targets." + name + ".region=... (see samples/targets.yaml)"
                        : "configured targets are " + configured.keySet()));
            }
            chosen.add(target);
        }
        return chosen;
    }

    /** Every configured target by name. */
    static Map<String, RegistrationTarget> configured(RegistrationRequest request, Path ca) {
        return configured(request.config(), request.settings(), ca);
    }

    /** Every target configured by {@code --config FILE} and {@code --keyline.targets...} settings, by name. */
    static Map<String, RegistrationTarget> configured(Optional<Path> config, List<String> lines, Path ca) {
        Map<String, String> settings = new LinkedHashMap<>();
        Path base = Path.of(".");
        if (config.isPresent()) {
            Path file = config.get();
            settings.putAll(readYaml(file));
            base = file.toAbsolutePath().getParent();
        }
        for (String line : lines) {
            int eq = line.indexOf('=');
            settings.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        Path caPem = ca.resolve("ca.crt.pem");
        Optional<String> caCertificate = Optional.empty();
        if (Files.isRegularFile(caPem)) {
            try {
                caCertificate = Optional.of(Files.readString(caPem));
            } catch (IOException e) {
                throw new UsageException("cannot read the CA certificate " + caPem + ": " + e.getMessage());
            }
        }
        return TargetConfiguration.parse(settings, base, caCertificate);
    }

    /** Opens the registrars of the request's targets; empty when it names none. Calls nothing yet. */
    static Optional<Registrars> open(RegistrationRequest request, Path ca) {
        if (!request.registers()) {
            return Optional.empty();
        }
        return Optional.of(Registrars.open(selected(request, ca), request.threads(), RetryPolicy.standard()));
    }

    private static Map<String, String> readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("--config " + file + ": no such file");
        }
        JsonNode root;
        try {
            root = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().readTree(Files.readAllBytes(file));
        } catch (IOException | JacksonException e) {
            throw new InvalidTargetException("--config " + file + " is not valid YAML: " + e.getMessage(), e);
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return flat;
        }
        if (!root.isObject()) {
            throw new InvalidTargetException("--config " + file + ": expected keyline: targets: <name>: <key>: value (see samples/targets.yaml)");
        }
        flatten("", root, flat, file);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> flat, Path file) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), flat, file);
            }
        } else if (node.isArray()) {
            throw new InvalidTargetException("--config " + file + ": " + prefix + " is a list; target settings are single values");
        } else {
            flat.put(prefix, node.isNull() ? "" : node.asString());
        }
    }
}
