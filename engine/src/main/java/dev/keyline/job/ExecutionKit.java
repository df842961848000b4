package dev.keyline.job;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.keyline.x509.Issuer;

/**
 * What the partitions of one job execution in this process share: the kit, one issuer (thread-safe; it caches
 * per-CA work), and the CSR keys of their chunks in flight.
 *
 * @param csrKeys the CSR public keys of chunks not yet committed, across this process's partitions of the execution
 */
public record ExecutionKit(IssuanceKit kit, Issuer issuer, Set<String> csrKeys) {

    static ExecutionKit of(IssuanceKit kit) {
        return new ExecutionKit(kit, new Issuer(kit.ca(), kit.profile()), ConcurrentHashMap.newKeySet());
    }
}
