package dev.keyline.keys;

import java.security.KeyPair;

/**
 * Makes key pairs for devices: in software, or (later) in a PKCS#11 token.
 *
 * <p>Implementations are thread-safe: the issue step calls one instance from several threads.
 */
public interface KeySource {

    /** A fresh key pair of this algorithm. */
    KeyPair generate(KeyAlgorithm algorithm);
}
