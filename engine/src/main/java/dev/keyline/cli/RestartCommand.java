package dev.keyline.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.keyline.device.ManifestFile;
import dev.keyline.device.ManifestScan;
import dev.keyline.job.ExecutionSummary;
import dev.keyline.job.IssuanceKits;
import dev.keyline.job.Provisioning;
import dev.keyline.job.RunRequest;
import dev.keyline.job.RunState;
import picocli.CommandLine.Command;
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

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "file holding the CA passphrase (else $"
            + Secrets.CA_PASSPHRASE + ")")
    Path passphraseFile;

    @Option(names = "--bundle-passphrase-file", paramLabel = "FILE", description = "file holding the bundle passphrase (else $"
            + Secrets.BUNDLE_PASSPHRASE + ")")
    Path bundlePassphraseFile;

    @Option(names = "--pool-passphrase-file", paramLabel = "FILE", description = "file holding the key pool passphrase, "
            + "if the run used a pool (else $" + Secrets.POOL_PASSPHRASE + ")")
    Path poolPassphraseFile;

    @Option(names = "--no-progress", description = "no progress bar, even on a terminal")
    boolean noProgress;

    @Override
    public Integer call() {
        try (OutputFolder folder = OutputFolder.existing(out)) {
            folder.lock();
            IssuanceKits kits = new IssuanceKits(Secrets.forRun(passphraseFile, bundlePassphraseFile, poolPassphraseFile));
            try (Provisioning provisioning = Provisioning.open(folder.database(Optional.ofNullable(db)), folder.logFile(),
                    Runtime.getRuntime().availableProcessors(), kits)) {
                provisioning.compactLedgerOnClose();
                ExecutionSummary target = pick(provisioning, folder);
                RunRequest request = target.request();
                if (!Files.exists(request.manifest())) {
                    throw new UsageException("the run's manifest " + request.manifest() + " is gone; restore it to resume");
                }
                ManifestFile.require(request.manifest());
                String sha256 = ManifestScan.sha256(request.manifest());
                if (!sha256.equals(request.manifestSha256())) {
                    throw new UsageException(ManifestChange.describe(request.manifest(), target.executionId(), folder.path()));
                }
                folder.requireCa(RunCommand.unlockedCa(kits, request), () -> OutputCa.ofEarlierRuns(provisioning, folder.path()));
                RunState previous = provisioning.execution(target.executionId()).orElseThrow();
                // This process holds the output's lock: an execution that still reads as running died.
                System.err.println("keyline: resuming run " + target.instanceId() + " (its execution " + target.executionId()
                        + " " + (target.running() ? "died" : target.status().toLowerCase()) + ") from its last committed chunk");
                return new RunLauncher(provisioning, System.out, System.err)
                        .launch(request, Optional.of(previous), !noProgress && System.console() != null);
            }
        }
    }

    private ExecutionSummary pick(Provisioning provisioning, OutputFolder folder) {
        var executions = provisioning.executions(folder.path());
        if (executionId != null) {
            ExecutionSummary chosen = executions.stream().filter(e -> e.executionId() == executionId).findFirst()
                    .orElseThrow(() -> new UsageException("no execution " + executionId + " in " + folder.path()
                            + "; keyline status --out " + folder.path() + " lists them"));
            if (!chosen.restartable()) {
                throw new UsageException("execution " + executionId + " is " + chosen.status().toLowerCase()
                        + " and cannot be restarted" + (chosen.status().equals("COMPLETED") ? ": it completed" : ""));
            }
            return chosen;
        }
        return executions.stream().filter(ExecutionSummary::restartable).findFirst()
                .orElseThrow(() -> new UsageException("nothing to restart in " + folder.path()
                        + ": every run there completed (keyline status --out " + folder.path() + ")"));
    }
}
