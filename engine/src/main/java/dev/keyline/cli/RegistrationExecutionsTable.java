package dev.keyline.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;

import dev.keyline.job.RegistrationExecution;

/**
 * {@code keyline status}'s tables of an output's {@code keyline register} and {@code keyline deregister} executions,
 * after its runs.
 */
final class RegistrationExecutionsTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** What one table lists: its title, its two count columns, the command that resumes, the note under it. */
    record Kind(String title, String done, String failed, String command, String note) {
        static final Kind REGISTER = new Kind("Registrations (keyline register)", "REGISTERED", "FAILED", "register",
                "REGISTERED and FAILED count the (device, target) outcomes each execution recorded that still stand "
                        + "(running keyline register again retries FAILED ones, and the retry's outcome replaces them).");
        static final Kind DEREGISTER = new Kind("Deregistrations (keyline deregister)", "TAKEN BACK", "FAILED", "deregister",
                "TAKEN BACK counts the (device, target) pairs each execution made DEREGISTERED or REVOKED; FAILED those "
                        + "still in flight after its attempt (running keyline deregister again finishes them).");
    }

    private RegistrationExecutionsTable() {
    }

    static void print(List<RegistrationExecution> executions, Path out, boolean live, PrintStream to) {
        print(Kind.REGISTER, executions, out, live, to);
    }

    static void print(Kind kind, List<RegistrationExecution> executions, Path out, boolean live, PrintStream to) {
        if (executions.isEmpty()) {
            return;
        }
        to.printf("%n%s:%n", kind.title());
        to.printf("%-9s %-10s %-19s %9s %10s %10s  %s%n", "EXECUTION", "STATUS", "STARTED", "DURATION",
                kind.done(), kind.failed(), "TARGETS");
        boolean resumable = true; // only the newest one can be resumed, and only if it did not complete
        for (RegistrationExecution e : executions) {
            String status = e.died(live) ? "DIED" : e.status();
            to.printf("%-9d %-10s %-19s %9s %,10d %,10d  %s%n", e.executionId(), status,
                    e.started() == null ? "-" : TIME.format(e.started()),
                    e.duration(live).map(ProgressDisplay::formatDuration).orElse("-"), e.registered(), e.failed(),
                    String.join(", ", e.targets()));
            if (resumable && !"COMPLETED".equals(e.status()) && !(live && e.running())) {
                to.println("     resume with: keyline " + kind.command() + " --out " + out);
            }
            resumable = false;
        }
        to.println(kind.note());
    }
}
