package dev.keyline.job;

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
import dev.keyline.error.InvalidSettingException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A run's registration targets, Spring Boot style: {@code --config FILE} (YAML under {@code keyline.targets})
 * flattened to {@code keyline.targets.<name>.<key>} settings, with the {@code --keyline.targets.<name>.<key>=value}
 * lines of the command line on top. Read from what a run keeps in its job parameters, so any process that runs the
 * register step configures the same targets; checked completely before anything is called: a problem is exit code 2
 * naming the setting.
 */
public final class RegistrationTargets {

    private RegistrationTargets() {
    }

    /** The targets the request names, configured and checked, in the request's order. */
    public static List<RegistrationTarget> selected(RegistrationRequest request, Path ca) {
        return selected(request, Optional.of(ca));
    }

    /** As {@link #selected(RegistrationRequest, Path)}, for an execution that may have kept no CA. */
    static List<RegistrationTarget> selected(RegistrationRequest request, Optional<Path> ca) {
        Map<String, RegistrationTarget> configured = configured(request.config(), request.settings(), ca);
        List<RegistrationTarget> chosen = new ArrayList<>();
        for (String name : request.targets()) {
            RegistrationTarget target = configured.get(name);
            if (target == null) {
                throw new InvalidSettingException("--target", "--target " + name + " is not configured: "
                        + (configured.isEmpty() ? "give --config FILE or --keyline.targets." + name + ".region=... (see samples/targets.yaml)"
                        : "configured targets are " + configured.keySet()));
            }
            chosen.add(target);
        }
        return chosen;
    }

    /** Every configured target by name. */
    public static Map<String, RegistrationTarget> configured(RegistrationRequest request, Path ca) {
        return configured(request.config(), request.settings(), ca);
    }

    /** Every target configured by {@code --config FILE} and {@code --keyline.targets...} settings, by name. */
    public static Map<String, RegistrationTarget> configured(Optional<Path> config, List<String> lines, Path ca) {
        return configured(config, lines, Optional.of(ca));
    }

    private static Map<String, RegistrationTarget> configured(Optional<Path> config, List<String> lines,
                                                              Optional<Path> ca) {
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
        Optional<String> caCertificate = Optional.empty();
        Path caPem = ca.map(c -> c.resolve("ca.crt.pem")).orElse(null);
        if (caPem != null && Files.isRegularFile(caPem)) {
            try {
                caCertificate = Optional.of(Files.readString(caPem));
            } catch (IOException e) {
                throw new InvalidSettingException("--ca", "cannot read the CA certificate " + caPem + ": " + e.getMessage());
            }
        }
        return TargetConfiguration.parse(settings, base, caCertificate);
    }

    /**
     * Opens the registrars of the request's targets; empty when it names none. Calls nothing yet.
     *
     * @param ca the CA folder with-CA targets name; empty when the run kept none (a register run of an earlier version)
     */
    public static Optional<Registrars> open(RegistrationRequest request, Optional<Path> ca) {
        if (!request.registers()) {
            return Optional.empty();
        }
        return Optional.of(Registrars.open(selected(request, ca), request.threads(), RetryPolicy.standard()));
    }

    private static Map<String, String> readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidSettingException("--config", "--config " + file + ": no such file");
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
