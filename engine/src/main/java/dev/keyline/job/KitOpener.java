package dev.keyline.job;

/**
 * Opens the kit of one job execution from the run's settings. {@link IssuanceKits} is the product's; a test may
 * hand in a kit of its own (a signer that fails on purpose, say).
 */
@FunctionalInterface
public interface KitOpener {

    /** @return a kit the caller closes when the execution ends */
    IssuanceKit open(RunRequest request);
}
