package dev.keyline.ledger;

/** The (device, target) outcomes one register execution recorded that still stand: a later retry replaces a FAILED. */
public record RegistrationTally(long registered, long failed) {

    public static final RegistrationTally NONE = new RegistrationTally(0, 0);
}
