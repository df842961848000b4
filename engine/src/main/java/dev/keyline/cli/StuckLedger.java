package dev.keyline.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * What a command that writes the ledger does when the ledger failed to write its file and the command did not end
 * (job/LedgerWatchdog: H2 may spin for ever then): the failure in one message with how to resume, then the process
 * ends with exit 1. Nothing can commit any more, so ending it loses nothing a kill would not.
 */
final class StuckLedger {

    private final PrintStream err;
    private final Path out;
    private final String resume;
    private final IntConsumer halt;

    StuckLedger(PrintStream err, Path out, String resume, IntConsumer halt) {
        this.err = err;
        this.out = out;
        this.resume = resume;
        this.halt = halt;
    }

    /**
     * Ends the JVM without its shutdown hooks and without closing the database, as a kill would: a normal exit would
     * close the H2 store, and closing it is where the threads spin.
     */
    static StuckLedger halting(PrintStream err, Path out, String resume) {
        return new StuckLedger(err, out, resume, code -> Runtime.getRuntime().halt(code));
    }

    /** @param what the work that failed, e.g. "the run (execution 3)" */
    void end(String what, Throwable failure) {
        String cause = DiskFull.in(failure, out).map(DiskFull::describe).orElseGet(() -> Failures.describe(failure));
        err.printf("keyline: %s failed: %s; its ledger stopped answering after the failed write, so keyline ends here%n",
                what, cause);
        err.println("  resume with: " + resume);
        err.flush();
        halt.accept(ExitCodes.FAILED);
    }
}
