package dev.keyline.hsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code --hsm FILE} configuration: a flat YAML subset, one {@code key: value} a line.
 *
 * <pre>
 * # Keyline HSM configuration
 * library: /usr/lib/softhsm/libsofthsm2.so
 * token-label: keyline-ca          # or slot-index: 0, or slot-id: 1234
 * pin-file: /etc/keyline/hsm.pin   # optional; else the PIN comes from KEYLINE_HSM_PIN
 * sessions: 4                      # optional: signing operations at once (default 4)
 * session-timeout-seconds: 30      # optional: how long a signer waits for a free session
 * </pre>
 *
 * <p>Values may be quoted with {@code "} or {@code '}; {@code #} starts a comment outside quotes. Relative
 * paths are taken from the file's folder. Nesting, lists and anchors are refused rather than misread: the
 * file is flat by design, so a hand-written reader of thirty lines replaces a YAML library in a module that
 * must stay JDK + Bouncy Castle only.
 */
public final class HsmConfigFile {

    public static final String LIBRARY = "library";
    public static final String SLOT_INDEX = "slot-index";
    public static final String SLOT_ID = "slot-id";
    public static final String TOKEN_LABEL = "token-label";
    public static final String PIN_FILE = "pin-file";
    public static final String SESSIONS = "sessions";
    public static final String SESSION_TIMEOUT = "session-timeout-seconds";

    private static final Set<String> KEYS = Set.of(LIBRARY, SLOT_INDEX, SLOT_ID, TOKEN_LABEL, PIN_FILE, SESSIONS,
            SESSION_TIMEOUT);
    private static final List<String> SELECTORS = List.of(SLOT_INDEX, SLOT_ID, TOKEN_LABEL);

    private HsmConfigFile() {
    }

    public static HsmConfig read(Path file) {
        Path source = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new HsmConfigException("cannot read the HSM configuration " + source + " (" + e.getMessage()
                    + "): give --hsm the path of a readable file", e);
        }
        return parse(source, text);
    }

    static HsmConfig parse(Path source, String text) {
        Map<String, String> values = settings(source, text);
        String library = values.get(LIBRARY);
        if (library == null || library.isEmpty()) {
            throw new HsmConfigException(source + ": `" + LIBRARY + "` is missing: give the path of the PKCS#11 module, "
                    + "e.g. library: /usr/lib/softhsm/libsofthsm2.so");
        }
        List<String> selectors = SELECTORS.stream().filter(values::containsKey).toList();
        if (selectors.size() != 1) {
            throw new HsmConfigException(source + ": give exactly one of " + String.join(", ", SELECTORS)
                    + " to choose the token" + (selectors.isEmpty() ? "" : " (found " + String.join(", ", selectors) + ")"));
        }
        TokenSelector token = switch (selectors.get(0)) {
            case SLOT_INDEX -> new TokenSelector.SlotIndex(integer(source, values, SLOT_INDEX));
            case SLOT_ID -> new TokenSelector.SlotId(number(source, values, SLOT_ID));
            default -> new TokenSelector.TokenLabel(values.get(TOKEN_LABEL));
        };
        Path folder = source.getParent();
        Optional<Path> pinFile = Optional.ofNullable(values.get(PIN_FILE)).map(p -> folder.resolve(p).normalize());
        int sessions = values.containsKey(SESSIONS) ? integer(source, values, SESSIONS) : HsmConfig.DEFAULT_SESSIONS;
        Duration timeout = values.containsKey(SESSION_TIMEOUT)
                ? Duration.ofSeconds(number(source, values, SESSION_TIMEOUT)) : HsmConfig.DEFAULT_BORROW_TIMEOUT;
        return new HsmConfig(source, folder.resolve(library).normalize(), token, pinFile, sessions, timeout);
    }

    private static Map<String, String> settings(Path source, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]).strip();
            if (line.isEmpty() || line.equals("---")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            if (Character.isWhitespace(lines[i].charAt(0)) || line.startsWith("-")) {
                throw new HsmConfigException(where + ": nested values and lists are not part of this file's format; "
                        + "write one `key: value` a line, keys among " + String.join(", ", KEYS));
            }
            int colon = line.indexOf(':');
            if (colon < 1) {
                throw new HsmConfigException(where + ": expected `key: value`");
            }
            String key = line.substring(0, colon).strip();
            if (!KEYS.contains(key)) {
                throw new HsmConfigException(where + ": unknown setting `" + key + "`; the settings are "
                        + String.join(", ", List.of(LIBRARY, SLOT_INDEX, SLOT_ID, TOKEN_LABEL, PIN_FILE, SESSIONS, SESSION_TIMEOUT)));
            }
            if (values.put(key, unquote(line.substring(colon + 1).strip())) != null) {
                throw new HsmConfigException(where + ": `" + key + "` is given twice");
            }
        }
        return values;
    }

    /** Drops a {@code #} comment that is not inside quotes. */
    private static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else if (quote == 0 && c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0)) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static int integer(Path source, Map<String, String> values, String key) {
        long n = number(source, values, key);
        if (n > Integer.MAX_VALUE) {
            throw new HsmConfigException(source + ": `" + key + "` is too large (" + n + ")");
        }
        return (int) n;
    }

    private static long number(Path source, Map<String, String> values, String key) {
        String value = values.get(key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new HsmConfigException(source + ": `" + key + "` must be a whole number (got \"" + value + "\")");
        }
    }
}
