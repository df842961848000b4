package dev.keyline.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.keyline.hsm.HsmPin;

/**
 * An argument that tries to hand over a secret ({@code --passphrase x}, {@code --pin 1234}, {@code --password ...}):
 * such options do not exist, because an argument is seen by every user of the machine (ps) and kept in the shell's
 * history. The hint names where this command takes that secret from instead.
 */
final class SecretArguments {

    private static final Pattern SECRET = Pattern.compile("--(?:[a-z0-9]+-)*(passphrase|password|passwd|pass|pin|secret)");

    /** The options that read a passphrase from a file, and the environment variable each falls back to. */
    private static final Map<String, String> PASSPHRASE_FILES = new LinkedHashMap<>();

    static {
        PASSPHRASE_FILES.put("--passphrase-file", Secrets.CA_PASSPHRASE);
        PASSPHRASE_FILES.put("--issuer-passphrase-file", Secrets.ISSUER_PASSPHRASE);
        PASSPHRASE_FILES.put("--bundle-passphrase-file", Secrets.BUNDLE_PASSPHRASE);
        PASSPHRASE_FILES.put("--pool-passphrase-file", Secrets.POOL_PASSPHRASE);
    }

    private SecretArguments() {
    }

    /**
     * @param argument    an argument the command does not know, e.g. {@code --passphrase} or {@code --pin=1234}
     * @param commandOptions the option names of the command it was given to
     * @return the hint, when the argument looks like a secret's option
     */
    static Optional<String> hint(String argument, Set<String> commandOptions) {
        String name = argument.split("=", 2)[0].toLowerCase(Locale.ROOT);
        Matcher secret = SECRET.matcher(name);
        if (!secret.matches()) {
            return Optional.empty();
        }
        String why = "secrets never come from arguments (every user sees them in ps, the shell keeps them in its "
                + "history): ";
        return Optional.of(why + switch (secret.group(1)) {
            case "pin" -> "the HSM user PIN comes from pin-file in the --hsm file, or $" + HsmPin.ENV;
            case "password", "passwd" -> "the database password comes from $KEYLINE_DB_PASSWORD (the user from "
                    + "$KEYLINE_DB_USER or the --db URL)";
            default -> passphrases(name, commandOptions);
        });
    }

    /** This secret's own file option when the command has it, else every passphrase the command reads. */
    private static String passphrases(String name, Set<String> commandOptions) {
        String own = name + "-file";
        List<String> ways = new ArrayList<>();
        if (PASSPHRASE_FILES.containsKey(own) && commandOptions.contains(own)) {
            ways.add(way(own));
        } else {
            PASSPHRASE_FILES.keySet().stream().filter(commandOptions::contains).forEach(o -> ways.add(way(o)));
        }
        return ways.isEmpty() ? "this command reads no passphrase" : "use " + String.join("; or ", ways);
    }

    private static String way(String fileOption) {
        return fileOption + " FILE or $" + PASSPHRASE_FILES.get(fileOption);
    }
}
