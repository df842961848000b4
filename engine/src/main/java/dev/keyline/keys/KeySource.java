package dev.keyline.keys;

import java.security.KeyPair;

/**
 * Makes keys for devices: in software ({@link SoftwareKeySource}, {@link PooledKeySource}), or in a PKCS#11 token
 * ({@link TokenKeySource}).
 *
 * <p>Implementations are thread-safe: the issue step calls one instance from several threads.
 */
public interface KeySource {

    /** A fresh key pair of this algorithm, made in software. */
    KeyPair generate(KeyAlgorithm algorithm);

    /**
     * The key of one device. Software sources make a key pair whose private key goes into the bundle; a token
     * source labels the key with the device id and keeps it or exports it wrapped.
     */
    default DeviceKey keyFor(String deviceId, KeyAlgorithm algorithm) {
        return DeviceKey.inBundle(generate(algorithm));
    }
}
