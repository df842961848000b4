package dev.keyline.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.keyline.bundle.BundleLayout;
import dev.keyline.device.ManifestFile;
import dev.keyline.device.ManifestFormat;
import dev.keyline.device.ManifestReader;
import dev.keyline.device.ManifestScan;
import dev.keyline.error.UnknownChoiceException;
import dev.keyline.job.BrokerAddress;
import dev.keyline.job.IssuanceKits;
import dev.keyline.job.Placement;
import dev.keyline.job.PlannedRun;
import dev.keyline.job.RegistrationRequest;
import dev.keyline.job.RunPlan;
import dev.keyline.job.RunRequest;
import dev.keyline.job.RunState;
import dev.keyline.job.RunMetrics;
import dev.keyline.job.Runs;
import dev.keyline.keys.CryptoProvider;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.KeyOrigin;
import dev.keyline.lint.TemplateLint;
import dev.keyline.job.RegistrationTargets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code keyline run}: issue every device of a manifest. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Issue every device of a manifest: key, certificate, bundle, ledger row, output manifest.",
                "Running it again on the same manifest and output resumes an unfinished run; devices the output "
                        + "already holds are never issued twice.",
                "Ctrl-C or SIGTERM stops the run after the chunks in flight commit (a second one: at once); "
                        + "keyline restart resumes it.",
                "At the end, also when it fails, it writes OUT/report.html (summary, devices per second, rejects, "
                        + "registration; see keyline report --help).",
                "Exit codes: 0 completed (rejected rows are in OUT/rejects.csv), 1 failed or stopped (restartable), 2 "
                        + "usage or configuration error (nothing was done)."})
final class RunCommand implements Callable<Integer> {

    /** Above this, the manifest's digest waits for ACCP (a 1,000,000-device manifest is about 24 MB). */
    private static final long LARGE_MANIFEST_BYTES = 4L << 20;

    @Parameters(index = "0", paramLabel = "MANIFEST", description = "device manifest: CSV with a header, or JSON Lines; UTF-8 or UTF-16; "
            + "either may be gzip (.csv.gz, .jsonl.gz). A row that cannot be read is rejected with its line; a file "
            + "that cannot be read is exit 2")
    Path manifest;

    @Option(names = "--ca", required = true, paramLabel = "DIR", description = "CA folder made by `keyline ca init`")
    Path ca;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (created if missing)")
    Path out;

    @Option(names = "--key", paramLabel = "ALG",
            description = "device key of rows without a 'key' column: ec-p256 | ec-p384 | rsa-2048 | rsa-3072 | rsa-4096 "
                    + "(default: the profile's default-key, which is ec-p256 unless the profile sets another)")
    String key;

    @Option(names = "--profile", paramLabel = "FILE", description = "certificate profile, YAML or JSON (see samples/profile.yaml)")
    Path profile;

    @Option(names = "--threads", paramLabel = "N", description = "parallel workers (default: the number of cores, ${sys:keyline.cores})")
    Integer threads;

    @Option(names = "--workers", paramLabel = "WHERE", defaultValue = "local",
            description = "local (default): issue on this machine's threads; remote: send the work to keyline worker "
                    + "processes through --broker (needs a shared --db: PostgreSQL)")
    String workers;

    @Option(names = "--broker", paramLabel = "URL", description = "with --workers remote: the RabbitMQ broker, "
            + "amqp://USER@HOST:5672/VHOST (password from $KEYLINE_BROKER_PASSWORD)")
    String broker;

    @Option(names = "--queue", paramLabel = "NAME", description = "with --workers remote: the queue the workers take "
            + "partitions from (default: " + Placement.Remote.DEFAULT_QUEUE + ")")
    String queue;

    @Option(names = "--partitions", paramLabel = "N", description = "with --workers remote: how many ranges the manifest "
            + "is split into (default: 4 per worker thread alive at the start, at least one chunk each)")
    Integer partitions;

    @Option(names = "--worker-timeout", paramLabel = "DURATION", description = "with --workers remote: a worker silent "
            + "this long has lost its partitions, and a run no worker answers this long fails (default: 30s; at least 6s)")
    String workerTimeout;

    @Option(names = "--auto-restart", paramLabel = "N", description = "with --workers remote: restart the run up to N "
            + "times when partitions were lost with their workers (default: 2; 0: fail instead)")
    Integer autoRestart;

    @Option(names = "--db", paramLabel = "JDBC_URL",
            description = "database for the ledger and job state, e.g. jdbc:postgresql://127.0.0.1:5432/test?user=me "
                    + "(default: H2 in OUT/.keyline; password from $KEYLINE_DB_PASSWORD)")
    String db;

    /** The same name as in lint: --format means the output format in lint and doctor. */
    @Option(names = "--manifest-format", paramLabel = "FORMAT",
            description = "csv | jsonl (default: from the file name). Its old name --format still works, deprecated")
    String format;

    /** The old name of --manifest-format, kept so existing scripts run; hidden from the synopsis, named above. */
    @Option(names = "--format", paramLabel = "FORMAT", hidden = true)
    String deprecatedFormat;

    @Option(names = "--skip-limit", paramLabel = "N", defaultValue = "-1",
            description = "stop the run once more than N rows are rejected (default: no limit)")
    long skipLimit;

    @Option(names = "--chunk-size", paramLabel = "N", defaultValue = "500",
            description = "devices per transaction; a restart resumes after the last committed chunk (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "file holding the CA passphrase (else $" + Secrets.CA_PASSPHRASE + ")")
    Path passphraseFile;

    @Option(names = "--bundle-passphrase-file", paramLabel = "FILE",
            description = "encrypt device keys (PKCS#8 PBES2/AES-256) with the passphrase in FILE (or $"
                    + Secrets.BUNDLE_PASSPHRASE + ")")
    Path bundlePassphraseFile;

    @Option(names = "--pkcs12", description = "also write device.p12 (key, certificate, chain); needs a bundle passphrase")
    boolean pkcs12;

    @Option(names = "--bundle-layout", paramLabel = "LAYOUT", defaultValue = "dir",
            description = "dir | archive: a folder per device (bundles/<device_id>/), or one tar archive per chunk "
                    + "(bundles/<first device id>.tar, entries <device_id>/device.crt.pem etc., same files and modes; "
                    + "extract with tar -xpf FILE -C bundles). The output manifest names each device's archive and entry. "
                    + "(default: ${DEFAULT-VALUE})")
    String bundleLayout;

    @Option(names = "--crypto-provider", paramLabel = "NAME", defaultValue = "auto",
            description = "auto | accp | bc | jdk: who makes keys and signatures (auto: the Amazon Corretto Crypto "
                    + "Provider where its native library loads, else Bouncy Castle). Certificates are the same in "
                    + "structure either way.")
    String cryptoProvider;

    @Option(names = "--key-pool", paramLabel = "DIR",
            description = "take device keys of the pool's algorithm from a pool made ahead by `keyline keypool fill` "
                    + "(each key used once; made live when the pool runs dry)")
    Path keyPool;

    @Option(names = "--pool-passphrase-file", paramLabel = "FILE",
            description = "file holding the key pool passphrase (else $" + Secrets.POOL_PASSPHRASE + ")")
    Path poolPassphraseFile;

    @Option(names = "--keys", paramLabel = "WHERE", defaultValue = "software",
            description = "where device keys are made: software (default; the key goes into the bundle) or hsm (in the "
                    + "PKCS#11 token of --hsm, else the CA's token; the profile's hsm-device-keys says whether they stay "
                    + "there (keep: the bundle gets device.key.json naming the token object) or are exported wrapped "
                    + "(wrap: device.key.wrapped, RFC 5649 under hsm-wrapping-key)")
    String keys;

    @Option(names = "--hsm", paramLabel = "FILE",
            description = "with --keys hsm: the token's configuration (as for keyline ca init --hsm); default: the CA's "
                    + "token. The PIN comes from its pin-file or $" + dev.keyline.hsm.HsmPin.ENV)
    Path hsm;

    @Option(names = "--no-progress", description = "no progress bar, even on a terminal")
    boolean noProgress;

    @Option(names = "--template", paramLabel = "T.json",
            description = "AWS IoT provisioning template: every device is linted against it before signing (as keyline "
                    + "lint does); a device whose references would not resolve is rejected into rejects.csv, never signed. "
                    + "An invalid template stops the run before any key (exit 2)")
    Path template;

    @Option(names = "--cn-to-san", description = "copy a CN that is a DNS name or IP address into the subjectAltName "
            + "(without it, such a CN is only warned about by keyline lint)")
    boolean cnToSan;

    @Option(names = "--target", paramLabel = "NAME",
            description = "after issuing, register with this configured AWS IoT target (repeatable); see keyline register --help "
                    + "and samples/targets.yaml. A device goes to the targets its 'accounts' column names, else to these")
    List<String> targets = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = TargetSettings.CONFIG_HELP)
    Path config;

    @Option(names = "--register-threads", paramLabel = "N", defaultValue = "16",
            description = "concurrent registrations (default: ${DEFAULT-VALUE})")
    int registerThreads;

    @Option(names = "--new-run", description = "start a new run of MANIFEST although an earlier run of the same file "
            + "into OUT did not finish and the file has changed since (devices already issued into OUT are skipped); "
            + "without it such a run is refused, so that a changed file is never taken for a resume")
    boolean newRun;

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Mixin
    LogFormatOptions logFormat = new LogFormatOptions();

    /**
     * Starts loading ACCP when the run may use it, beside the checks below and the CA's unlock (docs/startup.md). An
     * unknown provider name is reported with the other settings, where the request is built.
     */
    private void startLoadingAccp() {
        try {
            CryptoProvider.fromId(cryptoProvider).preloadInBackground();
        } catch (UnknownChoiceException e) {
            // reported below, as before
        }
    }

    /** {@code --workers} and the options that go with it. */
    private Placement placement() {
        boolean remoteOptions = broker != null || queue != null || partitions != null || workerTimeout != null
                || autoRestart != null;
        switch (workers) {
            case "local" -> {
                if (remoteOptions) {
                    throw new UsageException("--broker, --queue, --partitions, --worker-timeout and --auto-restart go "
                            + "with --workers remote");
                }
                return Placement.LOCAL;
            }
            case "remote" -> {
                if (broker == null) {
                    throw new UsageException("--workers remote needs --broker amqp://USER@HOST:5672/VHOST (the RabbitMQ "
                            + "broker the workers take partitions from)");
                }
                String q = queue == null ? Placement.Remote.DEFAULT_QUEUE : queue;
                if (!Placement.Remote.validQueue(q)) {
                    throw new UsageException("--queue " + q + " is not a queue name: 1 to 200 of A-Z a-z 0-9 . _ : -");
                }
                int n = partitions == null ? 0 : partitions;
                if (partitions != null && (n < 1 || n > 100_000)) {
                    throw new UsageException("--partitions must be between 1 and 100000");
                }
                Duration timeout = workerTimeout == null ? Placement.Remote.DEFAULT_TIMEOUT
                        : Durations.parse("--worker-timeout", workerTimeout);
                if (timeout.compareTo(Placement.Remote.MINIMUM_TIMEOUT) < 0) {
                    throw new UsageException("--worker-timeout must be at least "
                            + Placement.Remote.MINIMUM_TIMEOUT.toSeconds() + "s (workers beat every 2s)");
                }
                int restarts = autoRestart == null ? 2 : autoRestart;
                if (restarts < 0 || restarts > 100) {
                    throw new UsageException("--auto-restart must be between 0 and 100");
                }
                return new Placement.Remote(BrokerAddress.parse(broker), q, n, timeout, restarts);
            }
            default -> throw new UsageException("--workers " + workers + ": choose local or remote");
        }
    }

    /** {@code --keyline.targets.<name>.<key>=value}: picocli cannot declare a family of option names. */
    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        startLoadingAccp();
        // The CA's unlock (three PBKDF2 derivations, 50-130 ms under the JIT's first tier) runs beside the checks
        // below; Runs still asks for it before the output folder is touched, and reports a wrong passphrase then.
        IssuanceKits kits = new IssuanceKits(Secrets.forRun(passphraseFile, bundlePassphraseFile, poolPassphraseFile));
        kits.startUnlocking(ca);
        if (deprecatedFormat != null) {
            if (format != null && !format.equals(deprecatedFormat)) {
                throw new UsageException("--manifest-format " + format + " and its deprecated old name --format "
                        + deprecatedFormat + " disagree: give --manifest-format only");
            }
            System.err.println("keyline: run --format is deprecated (lint and doctor use --format for their output): "
                    + "use --manifest-format " + deprecatedFormat);
            format = deprecatedFormat;
        }
        List<String> settings = TargetSettings.fromArguments(unmatched);
        logFormat.apply();
        if (!settings.isEmpty() && targets.isEmpty()) {
            throw new UsageException("--keyline.targets... settings are given but no --target NAME: name the targets to register with");
        }
        RegistrationRequest registration = new RegistrationRequest(targets,
                Optional.ofNullable(config).map(c -> c.toAbsolutePath().normalize()), settings, registerThreads);
        // Every target's configuration is checked now, before any key is made or any AWS call.
        RegistrationTargets.selected(registration, ca.toAbsolutePath().normalize());
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (workers < 1 || workers > 256) {
            throw new UsageException("--threads must be between 1 and 256");
        }
        if (chunkSize < 1 || chunkSize > 100_000) {
            throw new UsageException("--chunk-size must be between 1 and 100000");
        }
        ManifestFile.require(manifest);
        ManifestFormat manifestFormat = ManifestFormat.of(manifest, format);
        // Opening the reader checks the header: an unknown column stops here, before any key is made.
        ManifestReader.open(manifest, manifestFormat).close();
        Optional<KeyAlgorithm> algorithm = Optional.ofNullable(key).map(KeyAlgorithm::fromId);
        KeyOrigin keyOrigin = KeyOrigin.fromId(keys);
        if (hsm != null && keyOrigin != KeyOrigin.HSM) {
            throw new UsageException("--hsm names the token for device keys: it needs --keys hsm");
        }
        BundleLayout layout = BundleLayout.fromId(bundleLayout);
        if (template != null) {
            if (!Files.isRegularFile(template)) {
                throw new UsageException("no template at " + template);
            }
            // An invalid template is a configuration error: InvalidTemplateException, exit 2, before any key is made.
            TemplateLint.check(template).require();
        }

        Placement placement = placement();
        Path outDir = out.toAbsolutePath().normalize();
        if (Files.size(manifest) > LARGE_MANIFEST_BYTES) {
            // A night's manifest is digested with ACCP's SHA-256 (the JDK's is Java until C2 compiles it): wait for it.
            CryptoProvider.fromId(cryptoProvider).preload();
        }
        // The output's id is known once the run service has opened the output folder.
        RunRequest draft = RunRequest.builder(manifest, ManifestScan.sha256(manifest), outDir, "not-yet-known", ca)
                .format(manifestFormat).threads(workers).chunkSize(chunkSize).skipLimit(skipLimit).key(algorithm)
                .profile(Optional.ofNullable(profile)).pkcs12(pkcs12).cryptoProvider(CryptoProvider.fromId(cryptoProvider))
                .template(Optional.ofNullable(template)).cnToSan(cnToSan).keyPool(Optional.ofNullable(keyPool))
                .registration(registration).bundleLayout(layout).keys(keyOrigin).hsm(Optional.ofNullable(hsm))
                .placement(placement).build();
        Runs runs = new Runs(kits);
        try (RunMetrics pushed = metrics.enable();
             PlannedRun<RunPlan> run = runs.run(draft, Optional.ofNullable(db), newRun)) {
            if (run.plan() instanceof RunPlan.AlreadyCompleted done) {
                System.out.println("This manifest was already issued into " + outDir + " (run "
                        + done.run().instanceId() + " completed); nothing to do. keyline status --out "
                        + outDir + " shows it" + (registration.registers() ? "; to register it: keyline register --out "
                        + outDir + " --target NAME" : "") + ".");
                return ExitCodes.OK;
            }
            RunRequest effective;
            Optional<RunState> previous;
            if (run.plan() instanceof RunPlan.Resume resume) {
                System.err.println("keyline: resuming run " + resume.previous().instanceId() + " (its execution "
                        + resume.previous().executionId() + " " + RestartCommand.howItEnded(resume.previous())
                        + ") from its last committed chunk, with the settings it started with");
                effective = resume.request();
                previous = Optional.of(resume.previous());
            } else {
                // RunPlan is sealed: neither completed nor a resume is a start.
                RunPlan.Start start = (RunPlan.Start) run.plan();
                start.spaceWarning().ifPresent(System.err::println);
                effective = start.request();
                previous = Optional.empty();
            }
            try (AutoCloseable pushing = pushed.start("provision", effective.outputId(), run.provisioning())) {
                return new RunLauncher(run.provisioning(), System.out, System.err)
                        .launch(effective, previous, !noProgress && System.console() != null);
            }
        }
    }
}
