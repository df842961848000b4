package dev.keyline.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import dev.keyline.job.Withdrawals;

/**
 * What the ledger says about an output's withdrawn registrations, per target: DEREGISTERED, REVOKED, still in flight
 * and why (AWS's error code, how many, one message), things deleted and kept. A pair still in flight is not an error
 * of the run: it is listed here and finished by the next {@code keyline deregister}.
 */
final class WithdrawalSummary {

    private WithdrawalSummary() {
    }

    /** @return the (device, target) pairs still in flight */
    static long print(List<Withdrawals.TargetReport> targets, Path out, PrintStream to) {
        long inFlight = 0;
        for (Withdrawals.TargetReport t : targets) {
            to.printf("  target %s: %,d deregistered, %,d revoked, %,d still in flight; things: %,d deleted, %,d kept%n",
                    t.target(), t.deregistered(), t.revoked(), t.inFlight(), t.thingsDeleted(), t.thingsKept());
            t.errors().forEach((code, n) -> to.printf("    %,d failed with %s, e.g. %s%n", n, code,
                    t.exampleMessages().get(code)));
            inFlight += t.inFlight();
        }
        if (inFlight > 0) {
            to.println("  pairs still in flight are finished by: keyline deregister --out " + out + " (their reasons are in "
                    + "the ledger, table device_registration)");
        }
        return inFlight;
    }
}
