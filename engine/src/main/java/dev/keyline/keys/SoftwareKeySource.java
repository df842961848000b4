package dev.keyline.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.EnumMap;
import java.util.Objects;

/**
 * Key pairs made in memory by Bouncy Castle.
 *
 * <p>This is on the hot path (one key per device, from every partition thread), so each thread keeps
 * its own initialised {@link KeyPairGenerator} per algorithm and its own {@link SecureRandom}:
 * no provider lookup, no parameter set-up and no shared lock per key. Thread-safe.
 */
public final class SoftwareKeySource implements KeySource {

    private final ThreadLocal<EnumMap<KeyAlgorithm, KeyPairGenerator>> generators =
            ThreadLocal.withInitial(() -> new EnumMap<>(KeyAlgorithm.class));

    @Override
    public KeyPair generate(KeyAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        return generators.get().computeIfAbsent(algorithm, SoftwareKeySource::newGenerator).generateKeyPair();
    }

    private static KeyPairGenerator newGenerator(KeyAlgorithm algorithm) {
        SecureRandom random = CryptoProviders.threadRandom();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.jcaName(), CryptoProviders.bc());
            if (algorithm.isEc()) {
                generator.initialize(new ECGenParameterSpec(algorithm.curveName().orElseThrow()), random);
            } else {
                generator.initialize(new RSAKeyGenParameterSpec(algorithm.bits(), RSAKeyGenParameterSpec.F4), random);
            }
            return generator;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle cannot generate " + algorithm.id() + " keys: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SoftwareKeySource[Bouncy Castle]";
    }
}
