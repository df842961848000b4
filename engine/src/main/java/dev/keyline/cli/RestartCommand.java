package dev.keyline.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;

import dev.keyline.job.IssuanceKits;
import dev.keyline.job.PlannedRun;
import dev.keyline.job.RunPlan;
import dev.keyline.job.RunRequest;
import dev.keyline.job.RunMetrics;
import dev.keyline.job.RunState;
import dev.keyline.job.Runs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keyline restart}: resume a failed, stopped or killed run from its last committed chunk. It takes an
 * execution (one attempt at a run) and starts the run's next execution.
 */
@Command(name = "restart", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Resume a failed or killed run from its last committed chunk, with the settings it started with.",
                "The CA passphrase (and bundle passphrase, if the run used one; the HSM PIN for keys in a token) are read again from the environment "
                        + "or the files given here.",
                "Ctrl-C or SIGTERM stops it after the chunks in flight commit (a second one: at once).",
                "At the end, also when it fails, it writes OUT/report.html (summary, devices per second, rejects, "
                        + "registration; see keyline report --help).",
                "Exit codes: 0 completed, 1 failed again or stopped (restartable), 2 nothing to restart or bad configuration."})
final class RestartCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the run's output folder")
    Path out;

    @Parameters(index = "0", arity = "0..1", paramLabel = "EXECUTION_ID",
            description = "the execution to resume: the newest execution of a run that did not complete (default: the "
                    + "newest such; keyline status lists runs and executions)")
    Long executionId;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "the database the run used, if not the one it remembered")
    String db;

    @Mixin
    RunSecretFiles secretFiles = new RunSecretFiles();

    @Option(names = "--no-progress", description = "no progress bar, even on a terminal")
    boolean noProgress;

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Mixin
    LogFormatOptions logFormat = new LogFormatOptions();

    @Override
    public Integer call() throws Exception {
        logFormat.apply();
        Runs runs = new Runs(new IssuanceKits(secretFiles.secrets()));
        try (RunMetrics pushed = metrics.enable();
             PlannedRun<RunPlan.Resume> run = runs.restart(out, Optional.ofNullable(db),
                     executionId == null ? OptionalLong.empty() : OptionalLong.of(executionId))) {
            RunState previous = run.plan().previous();
            RunRequest request = run.plan().request();
            System.err.println("keyline: resuming run " + previous.instanceId() + " (its execution "
                    + previous.executionId() + " " + howItEnded(previous) + ") from its last committed chunk");
            try (AutoCloseable pushing = pushed.start("provision", request.outputId(), run.provisioning())) {
                return new RunLauncher(run.provisioning(), System.out, System.err)
                        .launch(request, Optional.of(previous), !noProgress && System.console() != null);
            }
        }
    }

    /** How the execution to resume ended, for the line that says what is resumed. */
    static String howItEnded(RunState previous) {
        // The run service holds the output's lock: an execution that still reads as running died.
        return previous.running() ? "died" : previous.status().toLowerCase();
    }
}
