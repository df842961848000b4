package dev.keyline.keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.Optional;

/**
 * SHA-256 digests for the per-device path (certificate ids, key hashes, bundle and archive sums): from ACCP once a
 * run has loaded it as its crypto provider, else from the JDK.
 *
 * <p>The JDK's SHA-256 is fast only in C2-compiled code, which has an intrinsic for it; under C1, which the launcher
 * uses for runs of up to 300,000 devices (docs/startup.md), it is plain Java: 40-60 µs per device's 5 KB against
 * 3-5 µs from ACCP's native code, and the same 7-8 µs for both under C2. The bytes are the same from either, so
 * which one a digest comes from never changes an output. ACCP is not loaded for this: a run that chose another
 * provider ({@code --crypto-provider jdk|bc}) gets the JDK's.
 */
public final class Sha256 {

    private Sha256() {
    }

    /** A new SHA-256 digest (not thread-safe, as every {@link MessageDigest}). */
    public static MessageDigest newDigest() {
        Optional<Provider> accp = CryptoProvider.accpIfLoaded();
        try {
            return accp.isPresent() ? MessageDigest.getInstance("SHA-256", accp.get()) : MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in " + accp.map(Provider::getName).orElse("the JDK"), e);
        }
    }
}
