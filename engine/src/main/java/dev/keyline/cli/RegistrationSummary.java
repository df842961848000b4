package dev.keyline.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.keyline.ledger.Ledger;
import dev.keyline.ledger.RegistrationStatus;
import dev.keyline.ledger.TargetCount;
import dev.keyline.text.Counted;

/**
 * What the ledger says about an output's registrations, per target: how many devices are REGISTERED, how many
 * FAILED and why (AWS's error code, how many, one message). A FAILED device is not an error of the run: it is
 * listed here and tried again by the next {@code keyline register}.
 */
final class RegistrationSummary {

    private RegistrationSummary() {
    }

    /** @return the number of (device, target) pairs that are FAILED */
    static long print(Ledger ledger, String outputId, PrintStream out) {
        List<TargetCount> counts = ledger.registrationCounts(outputId);
        Map<String, long[]> perTarget = new LinkedHashMap<>();
        for (TargetCount c : counts) {
            long[] n = perTarget.computeIfAbsent(c.target(), t -> new long[2]);
            n[c.status() == RegistrationStatus.REGISTERED ? 0 : 1] += c.devices();
        }
        long failed = 0;
        for (Map.Entry<String, long[]> e : perTarget.entrySet()) {
            out.printf("  target %s: %,d registered, %,d failed%n", e.getKey(), e.getValue()[0], e.getValue()[1]);
            failed += e.getValue()[1];
            for (TargetCount c : counts) {
                if (c.target().equals(e.getKey()) && c.status() == RegistrationStatus.FAILED) {
                    out.printf("    %,d failed with %s, e.g. %s%n", c.devices(), c.errorCode(), c.exampleMessage());
                }
            }
        }
        long unregistrable = ledger.countWithoutRegistrationInput(outputId);
        if (unregistrable > 0) {
            out.printf("  %s issued before Keyline kept certificates in the ledger: Keyline cannot register %s%n",
                    Counted.of(unregistrable, "device was", "devices were"), unregistrable == 1 ? "it" : "them");
        }
        if (failed > 0) {
            out.println("  failed devices are tried again by: keyline register --out DIR (their reasons are in the ledger,"
                    + " table device_registration, and in manifest.csv's <target>_status)");
        }
        return failed;
    }
}
