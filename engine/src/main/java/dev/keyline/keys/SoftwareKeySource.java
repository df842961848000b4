package dev.keyline.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.EnumMap;
import java.util.Objects;
import java.util.Optional;
import java.security.Provider;

/**
 * Key pairs made in memory by a software provider (Bouncy Castle by default; see {@link CryptoProvider}).
 *
 * <p>This is on the hot path (one key per device, from every partition thread), so each thread keeps
 * its own initialised {@link KeyPairGenerator} per algorithm and its own {@link SecureRandom}:
 * no provider lookup, no parameter set-up and no shared lock per key. Thread-safe.
 */
public final class SoftwareKeySource implements KeySource {

    private final ThreadLocal<EnumMap<KeyAlgorithm, KeyPairGenerator>> generators =
            ThreadLocal.withInitial(() -> new EnumMap<>(KeyAlgorithm.class));
    private final CryptoProvider provider;

    /** Bouncy Castle. */
    public SoftwareKeySource() {
        this(CryptoProvider.BC);
    }

    public SoftwareKeySource(CryptoProvider provider) {
        this.provider = provider.resolved();
        this.provider.provider(); // fail now, with the reason, if the provider does not load here
    }

    @Override
    public KeyPair generate(KeyAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        return generators.get().computeIfAbsent(algorithm, this::newGenerator).generateKeyPair();
    }

    private KeyPairGenerator newGenerator(KeyAlgorithm algorithm) {
        SecureRandom random = CryptoProviders.threadRandom();
        try {
            Optional<Provider> p = provider.provider();
            KeyPairGenerator generator = p.isPresent()
                    ? KeyPairGenerator.getInstance(algorithm.jcaName(), p.get())
                    : KeyPairGenerator.getInstance(algorithm.jcaName());
            // ACCP draws from AWS-LC's own DRBG whatever SecureRandom it is given; BC and the JDK use this one.
            if (algorithm.isEc()) {
                generator.initialize(new ECGenParameterSpec(algorithm.curveName().orElseThrow()), random);
            } else {
                generator.initialize(new RSAKeyGenParameterSpec(algorithm.bits(), RSAKeyGenParameterSpec.F4), random);
            }
            return generator;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(provider.describe() + " cannot generate " + algorithm.id() + " keys: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SoftwareKeySource[" + provider.describe() + "]";
    }
}
