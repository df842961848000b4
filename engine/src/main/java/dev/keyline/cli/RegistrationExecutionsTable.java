package dev.keyline.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;

import dev.keyline.job.RegistrationExecution;

/** {@code keyline status}'s table of an output's {@code keyline register} executions, after its runs. */
final class RegistrationExecutionsTable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private RegistrationExecutionsTable() {
    }

    static void print(List<RegistrationExecution> executions, Path out, boolean live, PrintStream to) {
        if (executions.isEmpty()) {
            return;
        }
        to.printf("%nRegistrations (keyline register):%n");
        to.printf("%-9s %-10s %-19s %9s %10s %10s  %s%n", "EXECUTION", "STATUS", "STARTED", "DURATION",
                "REGISTERED", "FAILED", "TARGETS");
        boolean resumable = true; // only the newest one can be resumed, and only if it did not complete
        for (RegistrationExecution e : executions) {
            String status = e.died(live) ? "DIED" : e.status();
            to.printf("%-9d %-10s %-19s %9s %,10d %,10d  %s%n", e.executionId(), status,
                    e.started() == null ? "-" : TIME.format(e.started()),
                    e.duration(live).map(ProgressDisplay::formatDuration).orElse("-"), e.registered(), e.failed(),
                    String.join(", ", e.targets()));
            if (resumable && !"COMPLETED".equals(e.status()) && !(live && e.running())) {
                to.println("     resume with: keyline register --out " + out);
            }
            resumable = false;
        }
        to.println("REGISTERED and FAILED count the (device, target) outcomes each execution recorded that still stand "
                + "(running keyline register again retries FAILED ones, and the retry's outcome replaces them).");
    }
}
