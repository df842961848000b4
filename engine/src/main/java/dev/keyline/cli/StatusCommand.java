package dev.keyline.cli;

import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.keyline.job.Database;
import dev.keyline.job.ExecutionSummary;
import dev.keyline.job.PartitionSummary;
import dev.keyline.job.Placement;
import dev.keyline.job.remote.WorkerRegistry;
import dev.keyline.job.OutputFolder;
import dev.keyline.job.Provisioning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keyline status}: the executions of an output, their counts, and which one can be restarted. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the runs of an output folder and their executions: status, counts, duration, and which can "
                + "be restarted; then its keyline register executions with what each registered.",
                "A run is one manifest issued into the output; an execution is one attempt at it (keyline run, then "
                        + "each keyline restart)."})
final class StatusCommand implements Callable<Integer> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the output folder")
    Path out;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "the database the runs used, if not the one remembered")
    String db;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default), or json: one document with every execution, its steps and partitions, the "
                    + "register executions and the workers (fields in README)")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format " + format + ": choose text or json");
        }
        try (OutputFolder folder = OutputFolder.existing(out)) {
            boolean live = folder.inUse();
            // Nothing to write while no process runs: read-only, so status works on a full disk.
            Database database = folder.database(Optional.ofNullable(db));
            try (Provisioning provisioning = Provisioning.openForReading(live ? database : database.forReadingOnly(),
                    folder.logFile())) {
                // Read-only, an earlier ledger is not brought up to date: say why some of it may be missing.
                provisioning.ledgerBehind().ifPresent(note -> System.err.println("keyline: note: " + note));
                List<ExecutionSummary> executions = provisioning.executions(folder.path());
                if (format.equals("json")) {
                    boolean anyRemote = executions.stream()
                            .anyMatch(e -> e.request().placement() instanceof Placement.Remote);
                    java.io.PrintWriter writer = new java.io.PrintWriter(System.out, false,
                            java.nio.charset.StandardCharsets.UTF_8);
                    new JsonStatus(writer).write(folder.path(), folder.outputId(), live, provisioning, executions,
                            provisioning.registrationExecutions(folder.path(), folder.outputId()),
                            provisioning.deregistrationExecutions(folder.path(), folder.outputId()),
                            anyRemote ? provisioning.workersSeenWithin(WORKERS_SEEN_SECONDS) : List.of());
                    writer.println();
                    writer.flush();
                    return ExitCodes.OK;
                }
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
                RegistrationExecutionsTable.print(provisioning.registrationExecutions(folder.path(), folder.outputId()),
                        folder.path(), live, System.out);
                RegistrationExecutionsTable.print(RegistrationExecutionsTable.Kind.DEREGISTER,
                        provisioning.deregistrationExecutions(folder.path(), folder.outputId()), folder.path(), live, System.out);
                printRemote(provisioning, executions);
                System.out.println("A RUN is one manifest issued into this output; each EXECUTION is one attempt at it "
                        + "(keyline run, then each restart). READ counts this execution's rows; ISSUED and REJECTED "
                        + "count the run's committed rows; FAILED counts rows of chunks that rolled back. DIED: the "
                        + "process ended without recording it (killed, power lost); its DURATION runs to its last "
                        + "committed chunk. Restart the newest execution of a run that did not complete.");
                return ExitCodes.OK;
            }
        }
    }

    /** How recently a worker must have beaten to be listed: a night's workers, not last month's. */
    private static final long WORKERS_SEEN_SECONDS = 24 * 3600;

    /** For the newest execution of each remote run: its partitions and their workers; then the workers seen lately. */
    private static void printRemote(Provisioning provisioning, List<ExecutionSummary> executions) {
        java.util.Set<Long> shown = new java.util.HashSet<>();
        boolean anyRemote = false;
        for (ExecutionSummary e : executions) {
            if (!(e.request().placement() instanceof Placement.Remote remote) || !shown.add(e.instanceId())) {
                continue;
            }
            anyRemote = true;
            List<PartitionSummary> partitions = provisioning.partitions(e.executionId());
            System.out.printf("%nRun %d, execution %d: %d partitions on queue %s at %s%n", e.instanceId(), e.executionId(),
                    partitions.size(), remote.queue(), remote.broker());
            System.out.printf("  %-14s %-10s %21s %9s  %s%n", "PARTITION", "STATUS", "ROWS", "DONE", "WORKER");
            for (PartitionSummary p : partitions) {
                System.out.printf("  %-14s %-10s %21s %,9d  %s%s%n", p.name(), p.status(),
                        String.format("%,d-%,d", p.first(), Math.max(p.first(), p.end() - 1)), p.done(),
                        p.worker().map(w -> w.describe()).orElse("-"), p.why().isEmpty() ? "" : "  " + p.why());
            }
        }
        if (!anyRemote) {
            return;
        }
        List<WorkerRegistry.WorkerRow> workers = provisioning.workersSeenWithin(WORKERS_SEEN_SECONDS);
        System.out.printf("%nWorkers seen in the last 24 hours: %d%n", workers.size());
        if (!workers.isEmpty()) {
            System.out.printf("  %-40s %-24s %7s %-8s %s%n", "WORKER", "QUEUE", "THREADS", "STATE", "LAST SEEN");
        }
        for (WorkerRegistry.WorkerRow w : workers) {
            System.out.printf("  %-40s %-24s %7d %-8s %ss ago%n", w.identity().describe(), w.identity().queue(),
                    w.identity().threads(), w.stopped().isPresent() ? "stopped" : "running", w.secondsSinceSeen());
        }
    }
}
