package dev.keyline.hsm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach one PKCS#11 token: the module, which token, where the PIN is, and how many sessions Keyline
 * may use at once. Holds no PIN; read from a file by {@link HsmConfigFile}.
 *
 * @param source         the file this came from (for messages, and recorded in a CA folder)
 * @param library        the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
 * @param token          which token
 * @param pinFile        a file whose first line is the user PIN; empty: the PIN comes from {@code KEYLINE_HSM_PIN}
 * @param sessions       the most signing operations Keyline runs against the token at once
 * @param borrowTimeout  how long a signer waits for a free session before failing
 */
public record HsmConfig(Path source, Path library, TokenSelector token, Optional<Path> pinFile, int sessions,
        Duration borrowTimeout) {

    public static final int DEFAULT_SESSIONS = 4;
    public static final Duration DEFAULT_BORROW_TIMEOUT = Duration.ofSeconds(30);

    public HsmConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(pinFile, "pinFile");
        Objects.requireNonNull(borrowTimeout, "borrowTimeout");
        if (sessions < 1) {
            throw new HsmConfigException(source + ": sessions must be at least 1 (got " + sessions + ")");
        }
        if (borrowTimeout.isNegative() || borrowTimeout.isZero()) {
            throw new HsmConfigException(source + ": session-timeout-seconds must be positive");
        }
    }

    /** Reads {@code file}; see {@link HsmConfigFile} for its format. */
    public static HsmConfig load(Path file) {
        return HsmConfigFile.read(file);
    }
}
