package dev.keyline.cli;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.keyline.job.Database;
import dev.keyline.job.ExecutionSummary;
import dev.keyline.job.OutputFolder;
import dev.keyline.job.Provisioning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keyline status}: the executions of an output, their counts, and which one can be restarted. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the runs of an output folder and their executions: status, counts, duration, and which can "
                + "be restarted.",
                "A run is one manifest issued into the output; an execution is one attempt at it (keyline run, then "
                        + "each keyline restart)."})
final class StatusCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the output folder")
    Path out;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "the database the runs used, if not the one remembered")
    String db;

    @Override
    public Integer call() {
        try (OutputFolder folder = OutputFolder.existing(out)) {
            boolean live = folder.inUse();
            // Nothing to write while no process runs: read-only, so status works on a full disk.
            Database database = folder.database(Optional.ofNullable(db));
            try (Provisioning provisioning = Provisioning.open(live ? database : database.forReadingOnly(),
                    folder.logFile(), 1)) {
                List<ExecutionSummary> executions = provisioning.executions(folder.path());
                if (executions.isEmpty()) {
                    System.out.println("No runs in " + folder.path());
                    return ExitCodes.OK;
                }
                System.out.printf("%-4s %-9s %-10s %-19s %9s %10s %10s %9s %7s  %s%n", "RUN", "EXECUTION", "STATUS",
                        "STARTED", "DURATION", "READ", "ISSUED", "REJECTED", "FAILED", "RESTART");
                for (ExecutionSummary e : executions) {
                    // A run whose process was killed still reads STARTED; only a live process holds the lock.
                    String status = e.died(live) ? "DIED" : e.status();
                    System.out.printf("%-4d %-9d %-10s %-19s %9s %,10d %,10d %,9d %,7d  %s%n", e.instanceId(),
                            e.executionId(), status, e.started() == null ? "-" : TIME.format(e.started()),
                            e.duration(live).map(ProgressDisplay::formatDuration).orElse("-"), e.read(), e.issued(),
                            e.rejected(), e.failed(), e.restartable() && !(live && e.running())
                                    ? "keyline restart --out " + folder.path() + " " + e.executionId() : "-");
                }
                System.out.println("A RUN is one manifest issued into this output; each EXECUTION is one attempt at it "
                        + "(keyline run, then each restart). READ counts this execution's rows; ISSUED and REJECTED "
                        + "count the run's committed rows; FAILED counts rows of chunks that rolled back. DIED: the "
                        + "process ended without recording it (killed, power lost); its DURATION runs to its last "
                        + "committed chunk. Restart the newest execution of a run that did not complete.");
                return ExitCodes.OK;
            }
        }
    }
}
