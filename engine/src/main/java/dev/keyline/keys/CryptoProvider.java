package dev.keyline.keys;

import java.security.Provider;
import java.util.Locale;
import java.util.Optional;

import dev.keyline.digest.Sha256;
import dev.keyline.error.UnknownChoiceException;

/**
 * Which JCA provider makes device keys and CA signatures. Certificates come out identical in structure
 * whichever is chosen: only the arithmetic moves.
 *
 * <ul>
 *   <li>{@code accp}: Amazon Corretto Crypto Provider (AWS-LC), several times faster for P-256 keygen and
 *       ECDSA; only where its native library loads (linux-x86_64).</li>
 *   <li>{@code bc}: Bouncy Castle, pure Java, everywhere.</li>
 *   <li>{@code jdk}: the JDK's own providers (SunEC, SunRsaSign); slower than BC on JDK 17.</li>
 *   <li>{@code auto}: accp where it loads, else bc.</li>
 * </ul>
 */
public enum CryptoProvider {
    AUTO, ACCP, BC, JDK;

    private static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CryptoProvider fromId(String id) {
        for (CryptoProvider p : values()) {
            if (p.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
                return p;
            }
        }
        throw new UnknownChoiceException("crypto provider", id,
                java.util.Arrays.stream(values()).map(CryptoProvider::id).toList());
    }

    /**
     * Loads ACCP now when this choice may use it ({@code auto}, {@code accp}), so that what a run digests before its
     * keys are made (the manifest, tens of MB on a night's run) uses ACCP's SHA-256 too. Never fails: an ACCP that
     * does not load is reported where the provider is used.
     */
    public void preload() {
        if (this == AUTO || this == ACCP) {
            accp();
        }
    }

    /**
     * {@link #preload} on a thread of its own, so that ACCP's loading and self-test (about 0.2 s under the JIT's first
     * tier) overlap what a command does before it needs ACCP, such as unlocking the CA. Whatever asks for ACCP first
     * waits for the load to end (the JVM's class initialisation lock), and {@link Sha256} digests come from the JDK
     * until it has.
     */
    public void preloadInBackground() {
        if (this == AUTO || this == ACCP) {
            Thread loader = new Thread(this::preload, "keyline-accp-load");
            loader.setDaemon(true);
            loader.start();
        }
    }

    /** The choice made concrete: {@code auto} becomes accp or bc. */
    public CryptoProvider resolved() {
        if (this != AUTO) {
            return this;
        }
        return accp().isPresent() ? ACCP : BC;
    }

    /**
     * The provider object, or empty for {@link #JDK} (ask the JDK's provider list by name).
     *
     * @throws IllegalArgumentException when accp was asked for but does not load here, with the reason
     */
    public Optional<Provider> provider() {
        return switch (resolved()) {
            case ACCP -> Optional.of(accp().orElseThrow(() -> new IllegalArgumentException(
                    "the Amazon Corretto Crypto Provider does not load on this machine (" + accpProblem()
                            + "): use --crypto-provider bc or auto")));
            case BC -> Optional.of(CryptoProviders.bc());
            case JDK -> Optional.empty();
            case AUTO -> throw new AssertionError("resolved() never returns AUTO");
        };
    }

    /** A name for reports: "accp 2.5.0 (AWS-LC ...)", "bc", "jdk". */
    public String describe() {
        CryptoProvider r = resolved();
        if (r == ACCP) {
            return "accp " + accp().map(Provider::getVersionStr).orElse("?");
        }
        return r.id();
    }

    private static Optional<Provider> accp() {
        return AccpHolder.PROVIDER;
    }

    private static String accpProblem() {
        return AccpHolder.PROBLEM;
    }

    /** Loaded once, lazily: looking for ACCP must not cost a start-up that never uses it. */
    private static final class AccpHolder {
        static final Optional<Provider> PROVIDER;
        static final String PROBLEM;

        static {
            Provider found = null;
            String problem = "not on the class path";
            try {
                Provider p = (Provider) Class.forName(ACCP_CLASS).getField("INSTANCE").get(null);
                Throwable error = (Throwable) p.getClass().getMethod("getLoadingError").invoke(p);
                if (error == null) {
                    p.getClass().getMethod("assertHealthy").invoke(p);
                    found = p;
                } else {
                    problem = String.valueOf(error.getMessage());
                }
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            // Not inserted into the JVM's provider list: Keyline asks for it by object, other code keeps its order.
            PROVIDER = Optional.ofNullable(found);
            if (found != null) {
                Sha256.prefer(found); // the devices' digests too, once a run has loaded it (docs/startup.md)
                CryptoProviders.preferAccp(found); // and their serial numbers and key identifiers
            }
            PROBLEM = problem;
        }
    }
}
