package dev.keyline.keys;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The crypto providers Keyline uses, created once per JVM.
 *
 * <p>The Bouncy Castle provider is <em>not</em> inserted into the JVM's provider list: code that
 * wants it asks for it by object ({@code getInstance(alg, CryptoProviders.bc())}), which skips the
 * name lookup and leaves other libraries' provider order alone.
 *
 * <p>Thread-safe.
 */
public final class CryptoProviders {

    private static final Provider BC = new BouncyCastleProvider();

    /** One DRBG per thread: {@code NativePRNG} serialises every caller on one global lock. */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(CryptoProviders::newDrbg);

    private CryptoProviders() {
    }

    /** The single shared Bouncy Castle provider. */
    public static Provider bc() {
        return BC;
    }

    /**
     * This thread's CSPRNG (a 256-bit-strength SHA-256 Hash_DRBG seeded by the JDK's entropy source).
     * Do not hand it to another thread.
     */
    public static SecureRandom threadRandom() {
        return RANDOM.get();
    }

    private static SecureRandom newDrbg() {
        try {
            return SecureRandom.getInstance("DRBG",
                    DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
        } catch (NoSuchAlgorithmException e) {
            // Every JDK since 9 has DRBG; fall back to the platform default rather than fail.
            return new SecureRandom();
        }
    }
}
