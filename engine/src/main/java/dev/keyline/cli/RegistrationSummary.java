package dev.keyline.cli;

import java.io.PrintStream;

import dev.keyline.job.RegistrationReport;
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
    static long print(RegistrationReport report, PrintStream out) {
        for (RegistrationReport.Target target : report.targets()) {
            out.printf("  target %s: %,d registered, %,d failed%s%n", target.name(), target.registered(), target.failed(),
                    target.withdrawn() == 0 ? "" : String.format(", %,d deregistered or revoked (not registered again)",
                            target.withdrawn()));
            for (RegistrationReport.Failure f : target.failures()) {
                out.printf("    %,d failed with %s, e.g. %s%n", f.devices(), f.errorCode(), f.exampleMessage());
            }
        }
        long failed = report.failed();
        long unregistrable = report.unregistrable();
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
