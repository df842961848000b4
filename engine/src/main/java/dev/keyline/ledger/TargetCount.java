package dev.keyline.ledger;

/** How many of an output's devices ended in a status with one target, and one example reason when FAILED. */
public record TargetCount(String target, RegistrationStatus status, String errorCode, long devices, String exampleMessage) {
}
