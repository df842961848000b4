package dev.keyline.ca.store;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What unlocks a CA key, asked for only by the key store that needs it: a PKCS#12 store asks for the passphrase, a
 * token for its user PIN (its HSM configuration's pin-file, else {@code KEYLINE_HSM_PIN} in {@code environment}). So a
 * CA whose key is in a token needs no passphrase, and a worker process unlocks the CA with its own secrets.
 *
 * @param passphrase  gives the PKCS#12 passphrase when asked; the key store wipes the array it is given
 * @param environment the process environment the token's PIN may come from
 */
public record CaSecrets(Supplier<char[]> passphrase, Map<String, String> environment) {

    public CaSecrets {
        Objects.requireNonNull(passphrase, "passphrase");
        environment = Map.copyOf(environment);
    }

    /** The environment may hold KEYLINE_CA_PASSPHRASE or KEYLINE_HSM_PIN: never shown. */
    @Override
    public String toString() {
        return "CaSecrets[redacted]";
    }
}
