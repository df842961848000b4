package dev.keyline.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import dev.keyline.aws.RegistrationPlan;
import dev.keyline.aws.RegistrationTarget;
import dev.keyline.job.OutputFolder;
import dev.keyline.job.Provisioning;
import dev.keyline.job.RegistrationRequest;
import dev.keyline.job.RegistrationRun;
import dev.keyline.job.RunMetrics;
import dev.keyline.job.RunState;
import dev.keyline.job.RegistrationTargets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code keyline register}: register an output's issued identities with AWS IoT Core, or plan it. */
@Command(name = "register", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Register the identities of an output with AWS IoT Core targets (accounts), rate-limited and idempotent.",
                "Only what is not REGISTERED yet is registered: running it again retries FAILED devices and registers "
                        + "nothing twice. A killed or failed registration is resumed by running the command again. Devices "
                        + "taken back by keyline deregister are left alone unless --again-deregistered.",
                "Targets are configured Spring Boot style: --config FILE (YAML, see samples/targets.yaml) and/or "
                        + "--keyline.targets.<name>.<key>=value (keys: region, account-id, profile, role-arn, endpoint, mode, "
                        + "policy-name, create-thing, thing-type, create-thing-type, create-thing-groups, certificate-status, template, "
                        + "ca-certificate, quotas.<Operation>; "
                        + "for mode bulk-task: bulk.bucket, bulk.prefix, bulk.role-arn, bulk.max-lines, bulk.poll-seconds, "
                        + "bulk.lines-per-second). "
                        + "AWS credentials come from the default chain, a profile or an assumed role, never from arguments.",
                "A device goes to the targets its manifest 'accounts' column names (among those selected), else to every "
                        + "selected target.",
                "At the end, also when it fails, it writes OUT/report.html (summary, devices per second, rejects, "
                        + "registration; see keyline report --help).",
                "Before the first device, the thing types and thing groups the devices use are checked in each target's "
                        + "account (created with create-thing-type / create-thing-groups: true); a missing one is exit code 2.",
                "Exit codes: 0 completed (FAILED devices, if any, are listed), 1 failed (run it again to resume), "
                        + "2 usage or configuration error, or a missing thing group or type (nothing was registered)."})
final class RegisterCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the output folder of an earlier keyline run")
    Path out;

    @Option(names = "--target", paramLabel = "NAME",
            description = "a configured target to register with (repeatable; default: every configured target)")
    List<String> targets = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = TargetSettings.CONFIG_HELP)
    Path config;

    @Option(names = "--register-threads", paramLabel = "N", defaultValue = "16",
            description = "concurrent registrations (I/O-bound; the per-operation quotas set the pace) (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--plan", description = "print the calls per operation, the expected duration and JITP / bulk advice "
            + "for the devices still to register, and call nothing")
    boolean plan;

    @Option(names = "--again-deregistered", description = "register again the devices keyline deregister took back "
            + "(DEREGISTERED; never REVOKED ones: AWS does not activate a revoked certificate again); otherwise they are left alone")
    boolean againDeregistered;

    @Option(names = "--ca", paramLabel = "DIR",
            description = "CA folder whose ca.crt.pem with-ca targets send (default: the CA of the output's newest run)")
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
            throw new UsageException("--register-threads must be between 1 and 256");
        }
        try (OutputFolder folder = OutputFolder.existing(out)) {
            if (!plan) {
                folder.lock();
            }
            try (RunMetrics pushed = plan ? RunMetrics.off() : metrics.enable();
                 Provisioning provisioning = Provisioning.open(folder.database(Optional.ofNullable(db)), folder.logFile(), threads)) {
                if (!plan) {
                    provisioning.compactLedgerOnClose(); // a plan records nothing: compacting 1,000,000 rows was most of its time
                }
                StuckLedger stuck = StuckLedger.halting(System.err, folder.path(), "keyline register --out " + folder.path());
                provisioning.whenLedgerStuck(failure -> stuck.end("registration", failure));
                Path caDir = TargetRequests.caDir(Optional.ofNullable(ca), provisioning, folder);

                Optional<RunState> unfinished = plan ? Optional.empty()
                        : provisioning.lastRegistration(folder.path()).filter(r -> !r.completed());
                RegistrationRequest request;
                if (unfinished.isPresent()) {
                    request = provisioning.registrationOf(unfinished.get().executionId()).registration();
                    System.err.println("keyline: resuming registration " + unfinished.get().executionId() + " ("
                            + unfinished.get().status().toLowerCase() + ") with the targets it started with: "
                            + String.join(", ", request.targets()));
                } else {
                    request = requestFromArguments(settings, caDir);
                }
                List<RegistrationTarget> selected = RegistrationTargets.selected(request, caDir);
                warnAboutUnknownAccounts(provisioning, folder, request, caDir);

                if (plan) {
                    Map<RegistrationTarget, Long> pending = new LinkedHashMap<>();
                    Map<String, Long> counts = provisioning.pendingRegistrations(folder.outputId(), request.targets());
                    for (RegistrationTarget target : selected) {
                        pending.put(target, counts.get(target.name()));
                    }
                    System.out.println("Registration plan for " + folder.path() + " (nothing is called):");
                    RegistrationPlan.of(pending).describe().forEach(System.out::println);
                    return ExitCodes.OK;
                }
                if (againDeregistered) {
                    int reopened = provisioning.withdrawals().reopenDeregistered(folder.outputId(), request.targets());
                    System.err.printf("keyline: %,d deregistered (device, target) pairs are to be registered again%n", reopened);
                }
                // Thing groups and types are checked (or created) before any device is registered: a missing one is
                // exit code 2 naming it, not the same AWS error on every device.
                try {
                    provisioning.prepareThingResources(folder.outputId(), request, caDir)
                            .forEach(line -> System.err.println("keyline: " + line));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    System.err.println("keyline: interrupted while checking thing groups and types; nothing was registered");
                    return ExitCodes.FAILED;
                }
                try (AutoCloseable pushing = pushed.start("register", folder.outputId(), provisioning)) {
                    return register(provisioning, folder, request, caDir, unfinished);
                }
            }
        }
    }

    private RegistrationRequest requestFromArguments(List<String> settings, Path caDir) {
        return TargetRequests.fromArguments(targets, Optional.ofNullable(config), settings, threads, caDir);
    }

    private static void warnAboutUnknownAccounts(Provisioning provisioning, OutputFolder folder, RegistrationRequest request,
                                                 Path caDir) {
        Set<String> unknown = new TreeSet<>(provisioning.accountsNamed(folder.outputId()));
        unknown.removeAll(request.targets());
        if (!unknown.isEmpty()) {
            System.err.println("keyline: devices whose accounts column names " + unknown + " are not registered there: "
                    + "those targets are not selected (configured: " + RegistrationTargets.configured(request, caDir).keySet() + ")");
        }
    }

    /**
     * @param ca the CA with-CA targets name, kept with the register run so that a resume, by this process or another,
     *           configures the same targets
     */
    private int register(Provisioning provisioning, OutputFolder folder, RegistrationRequest request, Path ca,
                         Optional<RunState> unfinished) {
        long startNanos = System.nanoTime();
        RunState execution;
        boolean terminal = !noProgress && System.console() != null;
        try (RegistrationDisplay display = new RegistrationDisplay(provisioning.registrationProgress(),
                provisioning::workingRegistrars, System.err, terminal, () -> { })) {
            display.start();
            execution = unfinished.isPresent()
                    ? provisioning.resumeRegistration(unfinished.get().executionId())
                    : provisioning.register(new RegistrationRun(folder.path(), folder.outputId(), request,
                            Optional.of(ca)));
        } catch (Exception e) {
            System.err.println("keyline: the registration could not start: " + Failures.describe(e));
            return ExitCodes.FAILED;
        }
        String took = ProgressDisplay.formatDuration(java.time.Duration.ofNanos(System.nanoTime() - startNanos));
        var progress = provisioning.registrationProgress();
        if (execution.completed()) {
            System.out.printf("Registration %d completed in %s: %,d registered and %,d failed by this process; per target:%n",
                    execution.executionId(), took, progress.registered(), progress.failed());
            RegistrationSummary.print(provisioning.registrationReport(folder.outputId()), System.out);
            System.out.println("  output manifest: " + folder.path().resolve("manifest.csv") + " (per-target columns)");
            RunLauncher.printReport(System.out, folder.path());
            return ExitCodes.OK;
        }
        String cause = execution.failures().isEmpty() ? execution.exitDescription() : Failures.describe(execution.failures().get(0));
        System.err.printf("keyline: registration %d %s after %s: %s%n", execution.executionId(),
                execution.status().toLowerCase(), took, cause);
        System.err.println("  committed outcomes are kept; resume with: keyline register --out " + folder.path());
        RunLauncher.printReport(System.err, folder.path());
        return ExitCodes.FAILED;
    }
}
