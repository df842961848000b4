package dev.keyline.ledger;

/**
 * Where a device's registration with one target stands. Only FAILED is registered again by {@code keyline register};
 * the others are settled: REGISTERED, taken back (DEREGISTERED, REVOKED), or being taken back (DEREGISTERING,
 * REVOKING: marked by {@code keyline deregister} before its first call, so a run killed at any point leaves the
 * device in flight, with its intent, for the next run to finish).
 */
public enum RegistrationStatus {
    REGISTERED,
    FAILED,
    /** being deregistered: certificate to INACTIVE, detached, deleted */
    DEREGISTERING,
    /** being revoked: certificate to REVOKED, detached, kept */
    REVOKING,
    DEREGISTERED,
    REVOKED;

    /** Whether {@code keyline deregister} has marked it and not finished it. */
    public boolean inFlight() {
        return this == DEREGISTERING || this == REVOKING;
    }

    /** Whether its registration was taken back. */
    public boolean withdrawn() {
        return this == DEREGISTERED || this == REVOKED;
    }
}
