package dev.keyline.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import dev.keyline.device.ManifestException;
import dev.keyline.job.CommittedCounts;
import dev.keyline.job.Placement;
import dev.keyline.job.ProvisionProgress;
import dev.keyline.job.Provisioning;
import dev.keyline.job.RunRequest;
import dev.keyline.job.RunState;
import dev.keyline.output.OutputExporter;
import dev.keyline.output.report.ReportPage;
import dev.keyline.text.Counted;

/** Runs (or resumes) a provisioning run with progress on screen, then tells the user how it ended. */
final class RunLauncher {

    private final Provisioning provisioning;
    private final PrintStream out;
    private final PrintStream err;

    RunLauncher(Provisioning provisioning, PrintStream out, PrintStream err) {
        this.provisioning = provisioning;
        this.out = out;
        this.err = err;
    }

    /** @param previous the execution to resume, or empty to start the run */
    int launch(RunRequest request, Optional<RunState> previous, boolean showProgress) {
        ProvisionProgress progress = provisioning.progress();
        StuckLedger stuck = StuckLedger.halting(err, request.out(), "keyline restart --out " + request.out());
        provisioning.whenLedgerStuck(failure -> stuck.end(theRun(), failure));
        provisioning.onAutoRestart(restart -> {
            err.printf("%nkeyline: execution %d lost work with its workers; restarting the run (auto-restart %d of %d):%n",
                    restart.executionId(), restart.attempt(), restart.of());
            restart.why().stream().limit(5).forEach(why -> err.println("  " + why));
            if (restart.why().size() > 5) {
                err.printf("  and %d more%n", restart.why().size() - 5);
            }
        });
        long startNanos = System.nanoTime();
        // What the run had committed before this command: a remote run's summary counts the rows done since.
        long committedBefore = request.placement() instanceof Placement.Remote
                ? previous.map(p -> provisioning.committed(p.instanceId())).map(c -> c.issued() + c.rejected()).orElse(0L)
                : 0;
        RunState execution;
        boolean signalled;
        String restart = "keyline restart --out " + request.out();
        try (StopOnSignal signals = new StopOnSignal(provisioning::requestStop, restart, err);
             ProgressDisplay display = new ProgressDisplay(progress, err, showProgress);
             AutoCloseable registration = request.registration().registers()
                     ? registrationDisplay(showProgress, display) : () -> { }) {
            display.start();
            execution = previous.isPresent()
                    ? provisioning.restart(previous.get().executionId())
                    : provisioning.start(request);
            signalled = signals.stopRequested();
        } catch (Exception e) {
            warnOfStrayRows();
            return reportThrown(request, previous, e);
        }
        warnOfStrayRows();
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        return report(request, execution, progress, took, signalled, committedBefore);
    }

    private void warnOfStrayRows() {
        long stray = provisioning.strayRowsRemoved();
        if (stray > 0) {
            err.printf("keyline: warning: the ledger held %s of a chunk that never committed (the database kept part of "
                    + "it across the crash); removed and issued again, see .keyline/keyline.log%n",
                    Counted.of(stray, "row"));
        }
    }

    /**
     * The job threw instead of ending with a status: when it got as far as an execution (e.g. the disk filled and
     * the repository could not record the end), that is a failed run like any other, with its committed counts and
     * the restart; only without one did the run not start.
     */
    private int reportThrown(RunRequest request, Optional<RunState> previous, Exception failure) {
        String cause = DiskFull.in(failure, request.out()).map(DiskFull::describe).orElseGet(() -> Failures.describe(failure));
        OptionalLong started = provisioning.startedExecution();
        if (started.isEmpty()) {
            err.println("keyline: the run could not start: " + cause);
            return ExitCodes.FAILED;
        }
        long executionId = started.getAsLong();
        Optional<Long> instance;
        try {
            instance = provisioning.execution(executionId).map(RunState::instanceId);
        } catch (RuntimeException unreadable) {
            // the database itself failed (e.g. H2 on a full disk closes its file): counts come with the restart
            instance = Optional.empty();
        }
        err.printf("keyline: %s failed (execution %d): %s%n", instance.map(i -> "run " + i).orElse("the run"),
                executionId, cause);
        printCommitted(request.out(), instance);
        return ExitCodes.FAILED;
    }

    /** The run, by the execution this process started if it got that far; read without the database. */
    private String theRun() {
        OptionalLong started = provisioning.startedExecution();
        return started.isPresent() ? "the run (execution " + started.getAsLong() + ")" : "the run";
    }

    private void printCommitted(Path outDir, Optional<Long> instance) {
        try {
            long run = instance.orElseThrow(() -> new IllegalStateException("unknown run"));
            CommittedCounts committed = provisioning.committed(run);
            err.printf("  committed so far: %,d issued, %,d rejected (kept; nothing committed is issued again).%n",
                    committed.issued(), committed.rejected());
        } catch (RuntimeException unreadable) {
            err.println("  what committed is kept; nothing committed is issued again.");
        }
        err.println("  resume with: keyline restart --out " + outDir);
    }

    /**
     * The manifest as a whole could not be read (the scan found a damaged gzip, or the file changed under the
     * run): a problem of the input, not a failed run, so exit 2 with the reason and its fix. The scan reads the whole
     * file before the first key, so normally nothing was issued; should the file change later, what committed stays.
     */
    private int refuseManifest(RunRequest request, RunState execution, ManifestException problem, long issuedTotal,
                               long rejectedTotal) {
        err.println("keyline: " + problem.getMessage());
        if (issuedTotal == 0 && rejectedTotal == 0) {
            err.printf("  run %d stopped before any key was made; fix the manifest, then keyline run it again.%n",
                    execution.executionId());
        } else {
            try {
                provisioning.exportCommitted(request.out(), request.outputId(), execution.instanceId());
            } catch (RuntimeException e) {
                err.println("keyline: could not write rejects.csv: " + Failures.describe(e));
            }
            err.printf("  run %d stopped; committed so far: %,d issued, %,d rejected (kept; nothing committed is issued "
                    + "again). Fix the manifest, then keyline run it into %s again.%n", execution.executionId(),
                    issuedTotal, rejectedTotal, request.out());
        }
        return ExitCodes.USAGE;
    }

    private static Optional<ManifestException> manifestProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ManifestException m) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    private AutoCloseable registrationDisplay(boolean showProgress, ProgressDisplay issuing) {
        RegistrationDisplay display = new RegistrationDisplay(provisioning.registrationProgress(),
                provisioning::workingRegistrars, err,
                showProgress, issuing::stop);
        display.start();
        return display;
    }

    private int report(RunRequest request, RunState execution, ProvisionProgress progress,
                       Duration took, boolean signalled, long committedBefore) {
        Path outDir = request.out();
        long instance = execution.instanceId();
        CommittedCounts committed = provisioning.committed(instance);
        long issuedTotal = committed.issued();
        long rejectedTotal = committed.rejected();
        double seconds = Math.max(took.toNanos() / 1e9, 1e-3);
        boolean remote = request.placement() instanceof Placement.Remote;
        if (execution.completed() && remote) {
            long done = Math.max(0, issuedTotal + rejectedTotal - committedBefore);
            out.printf("Run %d completed (execution %d) in %s: %,d rows done by the workers (%,.0f devices/s); run total "
                            + "%,d issued, %,d rejected.%n", execution.instanceId(), execution.executionId(),
                    ProgressDisplay.formatDuration(took), done, done / seconds, issuedTotal, rejectedTotal);
            out.println("  crypto provider: " + request.cryptoProvider().describe() + "; workers: remote, queue "
                    + ((Placement.Remote) request.placement()).queue() + " (keyline status --out " + outDir
                    + " shows who ran what)");
        } else if (execution.completed()) {
            out.printf("Run %d completed (execution %d) in %s: %,d issued by this process (%,.0f devices/s); run total %,d "
                            + "issued, %,d rejected.%n",
                    execution.instanceId(), execution.executionId(), ProgressDisplay.formatDuration(took), progress.issued(),
                    progress.issued() / seconds, issuedTotal, rejectedTotal);
            out.println("  crypto provider: " + request.cryptoProvider().describe() + "; threads: " + request.threads());
        }
        if (execution.completed()) {
            if (progress.total() == 0) {
                err.println("keyline: warning: the manifest " + request.manifest() + " has no device rows (only a header, "
                        + "or blank lines): nothing was issued. Was the export cut short?");
            }
            if (request.keyPool().isPresent()) {
                out.printf("  key pool: %s taken from %s, %,d made live%n", Counted.of(progress.keysFromPool(), "key"),
                        request.keyPool().get(), progress.keysMadeLive());
            }
            if (progress.alreadyIssued() > 0) {
                out.printf("  %s already issued in this output and skipped.%n",
                        Counted.of(progress.alreadyIssued(), "device was", "devices were"));
            }
            out.println("  output manifest: " + outDir.resolve(OutputExporter.MANIFEST_CSV) + " (and .jsonl, SHA256SUMS)");
            if (rejectedTotal > 0) {
                out.println("  rejected rows:   " + outDir.resolve(OutputExporter.REJECTS_CSV));
            }
            printReport(out, outDir);
            if (request.registration().registers()) {
                out.println("Registration with " + String.join(", ", request.registration().targets()) + ":");
                RegistrationSummary.print(provisioning.registrationReport(request.outputId()), out);
            }
            return ExitCodes.OK;
        }
        List<Throwable> failures = execution.failures();
        Optional<ManifestException> unreadable = failures.stream().map(RunLauncher::manifestProblem)
                .flatMap(Optional::stream).findFirst();
        if (unreadable.isPresent()) {
            return refuseManifest(request, execution, unreadable.get(), issuedTotal, rejectedTotal);
        }
        Optional<DiskFull> diskFull = failures.stream().map(f -> DiskFull.in(f, outDir)).flatMap(Optional::stream)
                .findFirst();
        String cause = diskFull.map(DiskFull::describe).orElseGet(() -> failures.isEmpty()
                ? execution.exitDescription() : Failures.describe(failures.get(0)));
        // On a full disk the export would fail too; the restart writes it.
        if (diskFull.isEmpty()) {
            try {
                provisioning.exportCommitted(outDir, request.outputId(), instance);
            } catch (RuntimeException e) {
                err.println("keyline: could not write rejects.csv: " + Failures.describe(e));
            }
        }
        if (execution.status().equals("STOPPED")) {
            err.printf("keyline: run %d stopped %s (execution %d) after %s, at the end of a chunk%n",
                    execution.instanceId(), signalled ? "by the signal" : "on request", execution.executionId(),
                    ProgressDisplay.formatDuration(took));
        } else {
            err.printf("keyline: run %d %s (execution %d) after %s: %s%n", execution.instanceId(),
                    execution.status().toLowerCase(), execution.executionId(), ProgressDisplay.formatDuration(took), cause);
        }
        printCommitted(outDir, Optional.of(instance));
        printReport(err, outDir);
        return ExitCodes.FAILED;
    }

    /** Names the run report when the job wrote it (at the end of the execution; a full disk may have kept it from it). */
    static void printReport(PrintStream stream, Path outDir) {
        Path report = outDir.resolve(ReportPage.FILE);
        if (java.nio.file.Files.isRegularFile(report)) {
            stream.println("  run report:      " + report);
        }
    }
}
