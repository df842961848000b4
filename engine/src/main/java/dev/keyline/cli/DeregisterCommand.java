package dev.keyline.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.keyline.aws.DeregistrationPlan;
import dev.keyline.aws.RegistrationTarget;
import dev.keyline.job.DeregistrationSelection;
import dev.keyline.job.OutputFolder;
import dev.keyline.job.Provisioning;
import dev.keyline.job.RegistrationRequest;
import dev.keyline.job.RegistrationRun;
import dev.keyline.job.RegistrationTargets;
import dev.keyline.job.RunMetrics;
import dev.keyline.job.RunState;
import dev.keyline.job.Withdrawals;
import dev.keyline.text.InertText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code keyline deregister}: take registrations of an output back from AWS IoT Core targets, or plan it. */
@Command(name = "deregister", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Take an output's registrations with AWS IoT Core targets back: a batch registered in error, or a unit "
                + "that failed its end-of-line test (--device ID --revoke).",
                "Per registered (device, target): UpdateCertificate to INACTIVE (REVOKED with --revoke); DetachPolicy for "
                        + "each policy attached to the certificate; DetachThingPrincipal, then ListThingPrincipals until the "
                        + "thing no longer lists it (bounded, with backoff); DeleteCertificate, unless --revoke (a revoked "
                        + "certificate stays registered as REVOKED, so a CA with auto-registration cannot bring it back); "
                        + "DeleteThing, only for a thing Keyline created and no other principal uses.",
                "Rate-limited under the targets' quotas, as register is; every step is safe to repeat. The pairs are "
                        + "marked DEREGISTERING or REVOKING in the ledger before the first call and end DEREGISTERED or "
                        + "REVOKED (time and --reason kept); one that fails stays marked and the next keyline deregister "
                        + "finishes it. A killed or failed deregistration is resumed by running the command again.",
                "Targets are configured as for keyline register (--config FILE, --keyline.targets.<name>.<key>=value).",
                "keyline register never registers a DEREGISTERED or REVOKED device again, unless asked with "
                        + "--again-deregistered (DEREGISTERED only: AWS never activates a revoked certificate).",
                "Exit codes: 0 completed (devices that could not be taken back, if any, are listed and stay marked), "
                        + "1 failed (run it again to resume), 2 usage or configuration error, an unknown device, or a "
                        + "device not registered with a target named (nothing was called)."})
final class DeregisterCommand implements Callable<Integer> {

    private static final int MAX_REASON = 2000;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the output folder of an earlier keyline run")
    Path out;

    @Option(names = "--target", paramLabel = "NAME",
            description = "a configured target to take registrations back from (repeatable; default: every configured target)")
    List<String> targets = new ArrayList<>();

    @Option(names = "--device", paramLabel = "ID",
            description = "a device to take back (repeatable; default: every device registered with the targets)")
    List<String> devices = new ArrayList<>();

    @Option(names = "--devices", paramLabel = "FILE",
            description = "a file of device ids to take back, one per line ('#' comments and blank lines are skipped)")
    Path devicesFile;

    @Option(names = "--revoke", description = "set the certificates REVOKED and keep them registered, instead of INACTIVE "
            + "and deleted")
    boolean revoke;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why, kept in the ledger with each device taken back")
    String reason;

    @Option(names = "--plan", description = "print what would be taken back and the calls per operation, and call nothing")
    boolean plan;

    @Option(names = "--config", paramLabel = "FILE", description = TargetSettings.CONFIG_HELP)
    Path config;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "16",
            description = "concurrent deregistrations (I/O-bound; the per-operation quotas set the pace) (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--ca", paramLabel = "DIR",
            description = "CA folder whose ca.crt.pem with-ca targets are configured with (default: the CA of the output's newest run)")
    Path ca;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "the database the runs used, if not the one remembered")
    String db;

    @Option(names = "--no-progress", description = "no progress bar, even on a terminal")
    boolean noProgress;

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Mixin
    LogFormatOptions logFormat = new LogFormatOptions();

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> settings = TargetSettings.fromArguments(unmatched);
        logFormat.apply();
        if (threads < 1 || threads > 256) {
            throw new UsageException("--threads must be between 1 and 256");
        }
        Optional<String> why = checkedReason();
        Optional<List<String>> named = namedDevices();
        try (OutputFolder folder = OutputFolder.existing(out)) {
            if (!plan) {
                folder.lock();
            }
            try (RunMetrics pushed = plan ? RunMetrics.off() : metrics.enable();
                 Provisioning provisioning = Provisioning.open(folder.database(Optional.ofNullable(db)), folder.logFile(), threads)) {
                StuckLedger stuck = StuckLedger.halting(System.err, folder.path(), "keyline deregister --out " + folder.path());
                provisioning.whenLedgerStuck(failure -> stuck.end("deregistration", failure));
                Path caDir = TargetRequests.caDir(Optional.ofNullable(ca), provisioning, folder);
                Optional<RunState> unfinished = plan ? Optional.empty()
                        : provisioning.lastDeregistration(folder.path()).filter(r -> !r.completed());
                RegistrationRequest request = TargetRequests.fromArguments(targets, Optional.ofNullable(config), settings,
                        threads, caDir);
                List<RegistrationTarget> selected = RegistrationTargets.selected(request, caDir);
                Withdrawals ledger = provisioning.withdrawals();
                DeregistrationSelection selection = ledger.select(folder.outputId(), request.targets(), !targets.isEmpty(),
                        named, revoke);
                selection.notes().forEach(note -> System.err.println("keyline: " + note));
                if (plan) {
                    printPlan(folder, selected, selection);
                    return ExitCodes.OK;
                }
                int marked = ledger.mark(folder.outputId(), request.targets(), named, revoke, why);
                long inFlight = ledger.inFlight(folder.outputId(), request.targets());
                RegistrationRequest running = request;
                if (unfinished.isPresent()) {
                    running = provisioning.registrationOf(unfinished.get().executionId()).registration();
                    System.err.println("keyline: resuming deregistration " + unfinished.get().executionId() + " ("
                            + unfinished.get().status().toLowerCase() + ") with the targets it started with: "
                            + String.join(", ", running.targets()));
                }
                if (marked == 0 && inFlight == 0 && unfinished.isEmpty()) {
                    System.out.println("Nothing to take back: no device " + (named.isPresent() ? "named " : "")
                            + "is registered with " + String.join(", ", request.targets()));
                    return ExitCodes.OK;
                }
                System.err.printf("keyline: %,d (device, target) pairs marked %s, %,d in flight in all%n", marked,
                        revoke ? "REVOKING" : "DEREGISTERING", inFlight);
                try (AutoCloseable pushing = pushed.start("deregister", folder.outputId(), provisioning)) {
                    return deregister(provisioning, folder, running, caDir, unfinished);
                }
            }
        }
    }

    private Optional<String> checkedReason() {
        if (reason == null) {
            return Optional.empty();
        }
        if (reason.isBlank() || reason.length() > MAX_REASON || reason.codePoints().anyMatch(InertText::isControl)) {
            throw new UsageException("--reason must be 1-" + MAX_REASON + " characters of text without control characters");
        }
        return Optional.of(reason.strip());
    }

    /** The devices named by --device or --devices, in order, each once; empty when neither is given. */
    private Optional<List<String>> namedDevices() {
        if (!devices.isEmpty() && devicesFile != null) {
            throw new UsageException("give --device ID ... or --devices FILE, not both");
        }
        if (devicesFile == null) {
            return devices.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(new LinkedHashSet<>(devices)));
        }
        Set<String> ids = new LinkedHashSet<>();
        try (Stream<String> lines = Files.lines(devicesFile, StandardCharsets.UTF_8)) {
            lines.map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(ids::add);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UsageException("--devices " + devicesFile + " cannot be read as UTF-8 text: " + e.getMessage()
                    + "; give a file of device ids, one per line");
        }
        if (ids.isEmpty()) {
            throw new UsageException("--devices " + devicesFile + " names no device: give one device id per line");
        }
        return Optional.of(List.copyOf(ids));
    }

    private void printPlan(OutputFolder folder, List<RegistrationTarget> selected, DeregistrationSelection selection) {
        Map<String, Withdrawals.Pairs> counts = new java.util.HashMap<>();
        selection.counts().forEach(c -> counts.put(c.target(), c));
        List<DeregistrationPlan.Selected> numbers = new ArrayList<>();
        for (RegistrationTarget target : selected) {
            Withdrawals.Pairs c = counts.get(target.name());
            numbers.add(new DeregistrationPlan.Selected(target, c.devices(), c.withThing(), c.thingsCreated()));
        }
        System.out.println("Deregistration plan for " + folder.path() + " (nothing is called):");
        DeregistrationPlan.of(numbers, revoke).describe().forEach(System.out::println);
    }

    private int deregister(Provisioning provisioning, OutputFolder folder, RegistrationRequest request, Path caDir,
                           Optional<RunState> unfinished) {
        long startNanos = System.nanoTime();
        RunState execution;
        boolean terminal = !noProgress && System.console() != null;
        try (RegistrationDisplay display = new RegistrationDisplay(provisioning.registrationProgress(),
                provisioning::workingRegistrars, System.err, terminal, () -> { }, RegistrationDisplay.Wording.DEREGISTER)) {
            display.start();
            execution = unfinished.isPresent()
                    ? provisioning.resumeRegistration(unfinished.get().executionId())
                    : provisioning.deregister(new RegistrationRun(folder.path(), folder.outputId(), request, Optional.of(caDir)));
        } catch (Exception e) {
            System.err.println("keyline: the deregistration could not start: " + Failures.describe(e));
            return ExitCodes.FAILED;
        }
        String took = ProgressDisplay.formatDuration(java.time.Duration.ofNanos(System.nanoTime() - startNanos));
        var progress = provisioning.registrationProgress();
        if (execution.completed()) {
            System.out.printf("Deregistration %d completed in %s: %,d taken back and %,d failed by this process; per target:%n",
                    execution.executionId(), took, progress.registered(), progress.failed());
            WithdrawalSummary.print(provisioning.withdrawals().report(folder.outputId()), folder.path(), System.out);
            System.out.println("  output manifest: " + folder.path().resolve("manifest.csv") + " (per-target columns)");
            return ExitCodes.OK;
        }
        String cause = execution.failures().isEmpty() ? execution.exitDescription() : Failures.describe(execution.failures().get(0));
        System.err.printf("keyline: deregistration %d %s after %s: %s%n", execution.executionId(),
                execution.status().toLowerCase(), took, cause);
        System.err.println("  committed outcomes are kept; resume with: keyline deregister --out " + folder.path());
        return ExitCodes.FAILED;
    }
}
