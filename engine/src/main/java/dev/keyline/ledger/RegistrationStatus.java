package dev.keyline.ledger;

/** The outcome of a device's latest registration with one target. */
public enum RegistrationStatus {
    REGISTERED,
    FAILED
}
