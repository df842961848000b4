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

    /**
     * ACCP's generator once a run has loaded ACCP ({@link #preferAccp}): AWS-LC's {@code RAND_bytes}, a CTR_DRBG of
     * 256-bit strength with per-thread state, declared thread-safe. The JDK's Hash_DRBG is SHA-256 in Java, which the
     * first JIT tier (short runs, docs/startup.md) does not compile to the intrinsic: a device's serial number cost
     * 3-4% of a worker's Java time.
     */
    private static volatile SecureRandom accpRandom;
    private static volatile Provider accp;

    private CryptoProviders() {
    }

    /** The single shared Bouncy Castle provider. */
    public static Provider bc() {
        return BC;
    }

    /**
     * This thread's CSPRNG: ACCP's once a run has loaded it, else a 256-bit-strength SHA-256 Hash_DRBG of this
     * thread's, seeded by the JDK's entropy source. Do not hand it to another thread.
     */
    public static SecureRandom threadRandom() {
        SecureRandom shared = accpRandom;
        return shared != null ? shared : RANDOM.get();
    }

    /** ACCP, if this JVM has loaded it and it passed its self-test; null otherwise. Never loads it. */
    static Provider loadedAccp() {
        return accp;
    }

    /** Called once ACCP has loaded and passed its self-test: random numbers and SHA-1 come from it from now on. */
    static void preferAccp(Provider provider) {
        try {
            SecureRandom random = SecureRandom.getInstance("LibCryptoRng", provider);
            Provider.Service service = provider.getService("SecureRandom", "LibCryptoRng");
            if (service != null && "true".equals(service.getAttribute("ThreadSafe"))) {
                accpRandom = random;
            }
        } catch (NoSuchAlgorithmException e) {
            // an ACCP without its generator: the JDK's DRBG stays
        }
        accp = provider;
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
