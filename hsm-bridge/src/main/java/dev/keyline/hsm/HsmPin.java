package dev.keyline.hsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the user PIN comes from: the configuration's {@code pin-file} (its first line), else the environment
 * variable {@value #ENV}. The PIN is handed out as a {@code char[]} for the caller to wipe; it never appears
 * in a message.
 */
public final class HsmPin {

    public static final String ENV = "KEYLINE_HSM_PIN";

    private HsmPin() {
    }

    public static char[] resolve(HsmConfig config, Map<String, String> env) {
        if (config.pinFile().isPresent()) {
            Path file = config.pinFile().get();
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new HsmConfigException("cannot read the PIN file " + file + " named by `pin-file` in "
                        + config.source() + " (" + e.getClass().getSimpleName() + "): check the path and its permissions", e);
            }
            int end = text.indexOf('\n');
            String line = (end < 0 ? text : text.substring(0, end)).replace("\r", "");
            if (line.isEmpty()) {
                throw new HsmConfigException("the PIN file " + file + " is empty: put the user PIN on its first line");
            }
            return line.toCharArray();
        }
        String value = env.get(ENV);
        if (value == null || value.isEmpty()) {
            throw new HsmConfigException("no HSM user PIN: set the environment variable " + ENV
                    + " or add `pin-file: FILE` to " + config.source());
        }
        return value.toCharArray();
    }
}
