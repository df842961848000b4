package dev.keyline.job;

import java.util.Objects;

import dev.keyline.x509.Issuer;

/**
 * Hands the unlocked {@link IssuanceKit} to the job. The CLI fills it before starting or restarting a run; the
 * kit is not a job parameter because it holds an unlocked CA key.
 */
public final class KitHolder {

    private volatile IssuanceKit kit;
    private volatile Issuer issuer;
    private final java.util.Set<String> csrKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public void set(IssuanceKit kit) {
        this.kit = Objects.requireNonNull(kit, "kit");
        this.csrKeys.clear();
        this.issuer = new Issuer(kit.ca(), kit.profile());
    }

    public IssuanceKit kit() {
        IssuanceKit k = kit;
        if (k == null) {
            throw new IllegalStateException("no CA was unlocked for this run: start it with keyline run or keyline restart");
        }
        return k;
    }

    /** One issuer for the whole run: it is thread-safe and caches per-CA work. */
    public Issuer issuer() {
        kit();
        return issuer;
    }

    /** The CSR public keys of the run's chunks in flight, shared by its partitions (one run per context). */
    public java.util.Set<String> csrKeys() {
        return csrKeys;
    }
}
