package dev.keyline.digest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;

/**
 * SHA-256 digests for the per-device path (certificate ids, key hashes, bundle and archive sums): from ACCP once a
 * run has loaded it as its crypto provider (the key material layer says so: {@link #prefer}), else from the JDK.
 *
 * <p>The JDK's SHA-256 is fast only in C2-compiled code, which has an intrinsic for it; under C1, which the launcher
 * uses for runs of up to 300,000 devices (docs/startup.md), it is plain Java: 40-60 µs per device's 5 KB against
 * 3-5 µs from ACCP's native code, and the same 7-8 µs for both under C2. The bytes are the same from either, so
 * which one a digest comes from never changes an output. Nothing here loads ACCP: a run that chose another provider
 * ({@code --crypto-provider jdk|bc}) gets the JDK's. Its own package, below every layer, so that storage (bundles)
 * and key material can both use it.
 */
public final class Sha256 {

    private static volatile Provider preferred;

    private Sha256() {
    }

    /** From now on, digests come from {@code provider} (ACCP, once it has loaded and passed its self-test). */
    public static void prefer(Provider provider) {
        preferred = provider;
    }

    /** A new SHA-256 digest (not thread-safe, as every {@link MessageDigest}). */
    public static MessageDigest newDigest() {
        Provider provider = preferred;
        try {
            return provider != null ? MessageDigest.getInstance("SHA-256", provider) : MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in " + (provider != null ? provider.getName() : "the JDK"), e);
        }
    }
}
