package dev.keyline.aws;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads registration targets from flat Spring Boot style settings, {@code keyline.targets.<name>.<key>=value}
 * (a YAML file flattened, then command-line arguments on top). Every refusal names the setting and the fix.
 * <p>
 * Keys: {@code region}, {@code account-id}, {@code profile}, {@code role-arn}, {@code endpoint}, {@code mode},
 * {@code policy-name}, {@code create-thing}, {@code thing-type}, {@code create-thing-type}, {@code create-thing-groups},
 * {@code certificate-status}, {@code template} (a
 * file), {@code ca-certificate} (a PEM file; default: the run's CA), {@code quotas.<Operation>}; for
 * {@code keyline ca register}: {@code ca-mode}, {@code jitp-template} (a file), {@code jitp-role-arn},
 * {@code ca-auto-registration}; for mode {@code bulk-task}: {@code bulk.bucket}, {@code bulk.prefix},
 * {@code bulk.role-arn}, {@code bulk.max-lines}, {@code bulk.poll-seconds}, {@code bulk.lines-per-second}. There is no key
 * for secrets: credentials come from the AWS default chain, a profile, or an assumed role.
 */
public final class TargetConfiguration {

    public static final String PREFIX = "keyline.targets.";

    private static final List<String> KEYS = List.of("region", "account-id", "profile", "role-arn", "endpoint", "mode",
            "policy-name", "create-thing", "thing-type", "create-thing-type", "create-thing-groups", "certificate-status", "template", "ca-certificate", "quotas.<Operation>",
            "ca-mode", "jitp-template", "jitp-role-arn", "ca-auto-registration",
            "bulk.bucket", "bulk.prefix", "bulk.role-arn", "bulk.max-lines", "bulk.poll-seconds", "bulk.lines-per-second");

    private TargetConfiguration() {
    }

    /**
     * @param settings  flat settings; keys outside {@code keyline.targets.} are refused
     * @param baseDir   where relative {@code template} and {@code ca-certificate} paths are resolved (the config file's folder)
     * @param defaultCa the PEM of the CA that issued the devices, for {@code with-ca} targets without {@code ca-certificate}
     * @return every configured target by name, in name order
     * @throws InvalidTargetException naming the setting and the fix
     */
    public static Map<String, RegistrationTarget> parse(Map<String, String> settings, Path baseDir, Optional<String> defaultCa) {
        Map<String, Map<String, String>> byTarget = new TreeMap<>();
        settings.forEach((key, value) -> {
            if (!key.startsWith(PREFIX) || key.length() == PREFIX.length()) {
                throw new InvalidTargetException("unknown setting " + key + ": Keyline reads " + PREFIX + "<name>.<key> ("
                        + String.join(", ", KEYS) + ")");
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot <= 0 || dot == rest.length() - 1) {
                throw new InvalidTargetException("setting " + key + " names no key: write " + PREFIX + rest + ".<key>, one of "
                        + String.join(", ", KEYS));
            }
            byTarget.computeIfAbsent(rest.substring(0, dot), n -> new LinkedHashMap<>()).put(rest.substring(dot + 1), value);
        });
        Map<String, RegistrationTarget> targets = new LinkedHashMap<>();
        byTarget.forEach((name, keys) -> targets.put(name, target(name, keys, baseDir, defaultCa)));
        return targets;
    }

    private static RegistrationTarget target(String name, Map<String, String> keys, Path baseDir, Optional<String> defaultCa) {
        String where = PREFIX + name + ".";
        for (String key : keys.keySet()) {
            if (!KEYS.contains(key) && !key.startsWith("quotas.")) {
                throw new InvalidTargetException("unknown setting " + where + key + ": use one of " + String.join(", ", KEYS));
            }
        }
        String region = keys.get("region");
        if (region == null || region.isBlank()) {
            throw new InvalidTargetException(where + "region is missing: set the AWS region of the target, e.g. "
                    + where + "region=eu-west-1");
        }
        try {
            RegistrationTarget.Builder b = RegistrationTarget.builder(name, region.trim());
            value(keys, "account-id").ifPresent(b::accountId);
            Optional<String> profile = value(keys, "profile");
            Optional<String> role = value(keys, "role-arn");
            if (role.isPresent()) {
                b.credentials(new TargetCredentials.AssumeRole(role.get(), profile));
            } else if (profile.isPresent()) {
                b.credentials(TargetCredentials.profile(profile.get()));
            }
            value(keys, "endpoint").ifPresent(e -> b.endpoint(uri(e, where + "endpoint")));
            RegistrationMode mode = value(keys, "mode").map(m -> mode(m, where)).orElse(RegistrationMode.WITHOUT_CA);
            b.mode(mode);
            value(keys, "policy-name").ifPresent(b::policyName);
            value(keys, "create-thing").ifPresent(v -> b.createThing(bool(v, where + "create-thing")));
            value(keys, "thing-type").ifPresent(b::thingType);
            value(keys, "create-thing-type").ifPresent(v -> b.createThingType(bool(v, where + "create-thing-type")));
            value(keys, "create-thing-groups").ifPresent(v -> b.createThingGroups(bool(v, where + "create-thing-groups")));
            value(keys, "certificate-status").ifPresent(v -> b.certificateStatus(status(v, where + "certificate-status")));
            value(keys, "template").ifPresent(t -> b.templateBody(read(baseDir.resolve(t), where + "template")));
            Optional<String> ca = value(keys, "ca-certificate").map(c -> read(baseDir.resolve(c), where + "ca-certificate"));
            if (mode == RegistrationMode.WITH_CA) {
                ca.or(() -> defaultCa).ifPresent(b::caCertificatePem);
            }
            b.caRegistration(caRegistration(keys, baseDir, where));
            bulk(keys, where).ifPresent(b::bulk);
            keys.forEach((key, value) -> {
                if (key.startsWith("quotas.")) {
                    IotOperation operation;
                    try {
                        operation = IotOperation.ofAwsName(key.substring("quotas.".length()));
                    } catch (IllegalArgumentException e) {
                        throw new InvalidTargetException(where + key + ": " + e.getMessage(), e);
                    }
                    b.quota(operation, rate(value, where + key));
                }
            });
            return b.build();
        } catch (InvalidTargetException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // RegistrationTarget's own checks already name keyline.targets.<name>.<key> and the fix.
            String message = e.getMessage();
            throw new InvalidTargetException(message != null && message.contains(PREFIX) ? message : where + ": " + message, e);
        }
    }

    /** {@code ca-mode}, {@code jitp-template} + {@code jitp-role-arn} (both or neither), {@code ca-auto-registration}. */
    private static CaRegistrationSettings caRegistration(Map<String, String> keys, Path baseDir, String where) {
        Optional<CaMode> mode = value(keys, "ca-mode").map(m -> {
            try {
                return CaMode.of(m);
            } catch (IllegalArgumentException e) {
                throw new InvalidTargetException(where + "ca-mode: " + e.getMessage(), e);
            }
        });
        Optional<String> template = value(keys, "jitp-template");
        Optional<String> role = value(keys, "jitp-role-arn");
        if (template.isPresent() != role.isPresent()) {
            throw new InvalidTargetException(where + (template.isPresent() ? "jitp-template is set without jitp-role-arn"
                    : "jitp-role-arn is set without jitp-template") + ": just-in-time provisioning needs both the template "
                    + "and the IAM role AWS IoT assumes to carry it out");
        }
        Optional<JitpTemplate> jitp = template.map(t -> {
            Path file = baseDir.resolve(t);
            try {
                return new JitpTemplate(file.toString(), read(file, where + "jitp-template"), role.get());
            } catch (IllegalArgumentException e) {
                throw new InvalidTargetException(where + (e.getMessage().contains("role") ? "jitp-role-arn: " : "jitp-template: ")
                        + e.getMessage(), e);
            }
        });
        boolean auto = value(keys, "ca-auto-registration").map(v -> bool(v, where + "ca-auto-registration")).orElse(false);
        return new CaRegistrationSettings(mode, jitp, auto);
    }

    /** The {@code bulk.*} keys; empty when none is set (the target's mode then says whether that is missing). */
    private static Optional<BulkSettings> bulk(Map<String, String> keys, String where) {
        if (keys.keySet().stream().noneMatch(k -> k.startsWith("bulk."))) {
            return Optional.empty();
        }
        String bucket = value(keys, "bulk.bucket").orElseThrow(() -> new InvalidTargetException(where
                + "bulk.bucket is missing: name the S3 bucket the task's input file is uploaded to"));
        String role = value(keys, "bulk.role-arn").orElseThrow(() -> new InvalidTargetException(where
                + "bulk.role-arn is missing: name the IAM role AWS IoT assumes to read the input file and register the devices"));
        int maxLines = value(keys, "bulk.max-lines").map(v -> {
            try {
                return Integer.parseInt(v.replace("_", "").replace(",", ""));
            } catch (NumberFormatException e) {
                throw new InvalidTargetException(where + "bulk.max-lines = \"" + v + "\" is not a whole number: give devices per task, e.g. "
                        + BulkSettings.DEFAULT_MAX_LINES, e);
            }
        }).orElse(BulkSettings.DEFAULT_MAX_LINES);
        double poll = value(keys, "bulk.poll-seconds").map(v -> rate(v, where + "bulk.poll-seconds"))
                .orElse(BulkSettings.DEFAULT_POLL_INTERVAL.toMillis() / 1000.0);
        double linesPerSecond = value(keys, "bulk.lines-per-second").map(v -> rate(v, where + "bulk.lines-per-second"))
                .orElse(BulkSettings.DEFAULT_LINES_PER_SECOND);
        try {
            return Optional.of(new BulkSettings(bucket, value(keys, "bulk.prefix").orElse(""), role, maxLines,
                    java.time.Duration.ofMillis(Math.max(1, Math.round(poll * 1000))), linesPerSecond));
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException(where + e.getMessage(), e);
        }
    }

    private static Optional<String> value(Map<String, String> keys, String key) {
        String v = keys.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static RegistrationMode mode(String value, String where) {
        try {
            return RegistrationMode.of(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException(where + "mode: " + e.getMessage(), e);
        }
    }

    private static boolean bool(String value, String setting) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidTargetException(setting + " = \"" + value + "\": write true or false");
        };
    }

    private static CertificateStatus status(String value, String setting) {
        try {
            return CertificateStatus.valueOf(value.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException(setting + " = \"" + value + "\": write ACTIVE or INACTIVE", e);
        }
    }

    private static double rate(String value, String setting) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new InvalidTargetException(setting + " = \"" + value + "\" is not a number: give calls per second, e.g. 10", e);
        }
    }

    private static URI uri(String value, String setting) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidTargetException(setting + " = \"" + value + "\" is not a URL: write it as https://host:port", e);
        }
    }

    private static String read(Path file, String setting) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidTargetException(setting + ": no file at " + file + " (relative paths start at the config file's folder)");
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new InvalidTargetException(setting + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The keys a target accepts, for help texts. */
    public static Set<String> keys() {
        return Set.copyOf(KEYS);
    }
}
