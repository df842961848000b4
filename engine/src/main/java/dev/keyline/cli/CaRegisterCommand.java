package dev.keyline.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.keyline.aws.CaMode;
import dev.keyline.aws.CaRegistrar;
import dev.keyline.aws.CaRegistrationException;
import dev.keyline.aws.CaRegistrationPlan;
import dev.keyline.aws.CaRegistrationPlan.AccountPlan;
import dev.keyline.aws.CaRegistrationSettings;
import dev.keyline.aws.CaRegistrations;
import dev.keyline.aws.IotClients;
import dev.keyline.aws.JitpTemplate;
import dev.keyline.aws.RegistrationTarget;
import dev.keyline.ca.CertificateAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code keyline ca register}: registers the device CA with AWS IoT in the targets' accounts, as the plan says. */
@Command(name = "register", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Register the device CA with AWS IoT Core in a target's account (--target NAME, repeatable) or in "
                + "every configured target's (--all), so devices can register themselves on first connect (JITP/JITR) or "
                + "be registered with mode with-ca.",
                "DEFAULT mode: GetRegistrationCode, then a verification certificate whose CN is that code, signed by the "
                        + "CA's private key (in its token for an HSM CA) and checked locally, then RegisterCACertificate. "
                        + "SNI_ONLY: RegisterCACertificate without one (devices must send SNI). In a region one account may "
                        + "hold the CA in DEFAULT mode, any number in SNI_ONLY.",
                "A target's mode is --mode, else its ca-mode key, else chosen by the plan over every configured target "
                        + "(see `keyline ca plan`). Idempotent: an account that holds the CA as planned is described and "
                        + "reported; a changed JITP template or auto-registration is updated; a mode change needs --replace.",
                "Checked before anything is sent: the CA certificate (CA:TRUE, keyCertSign, validity, RSA >= 2048 or EC "
                        + "P-256/P-384) and the JITP template against the certificate profile (--profile).",
                "The CA key is unlocked only when a DEFAULT registration needs it: $" + Secrets.CA_PASSPHRASE
                        + " or --passphrase-file, or the token's PIN for a CA in an HSM.",
                "Exit codes: 0 done, 1 AWS refused or failed a call (the rest went on; run it again), 2 usage or "
                        + "configuration error, or a mode change without --replace (nothing was changed)."})
final class CaRegisterCommand implements Callable<Integer> {

    @Mixin
    CaRegistrationSetup.Options options = new CaRegistrationSetup.Options();

    @Option(names = "--target", paramLabel = "NAME", description = "a configured target whose account gets the CA (repeatable)")
    List<String> targets = new ArrayList<>();

    @Option(names = "--all", description = "every configured target's account: applies `keyline ca plan`")
    boolean all;

    @Option(names = "--mode", paramLabel = "DEFAULT|SNI_ONLY", description = "with one --target: the mode, over its ca-mode")
    String mode;

    @Option(names = "--jitp-template", paramLabel = "T.json",
            description = "with one --target: the JITP provisioning template to attach (over its jitp-template); needs --role-arn")
    Path jitpTemplate;

    @Option(names = "--role-arn", paramLabel = "ARN",
            description = "with --jitp-template: the IAM role AWS IoT assumes to provision (in the target's account)")
    String roleArn;

    @Option(names = "--auto-registration", description = "register devices' certificates on first connect (JITR; "
            + "implied by a JITP template)")
    boolean autoRegistration;

    @Option(names = "--inactive", description = "register the CA INACTIVE (default: ACTIVE)")
    boolean inactive;

    @Option(names = "--replace", description = "allow a mode change: AWS cannot change a CA's mode, so the registration is "
            + "made INACTIVE, deleted and made again")
    boolean replace;

    @Option(names = "--profile", paramLabel = "FILE", description = "the certificate profile devices are issued with, for "
            + "the JITP template lint (default: the built-in profile)")
    Path profile;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "file holding the CA passphrase (else $" + Secrets.CA_PASSPHRASE + "); DEFAULT mode only")
    Path passphraseFile;

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Override
    public Integer call() {
        checkOptions();
        Clock clock = Clock.systemUTC();
        X509Certificate caCertificate = CaRegistrationSetup.caCertificate(options.ca);
        CaRegistrationSetup.requireRegistrable(caCertificate, options.ca, clock);
        Map<String, RegistrationTarget> configured = new LinkedHashMap<>(CaRegistrationSetup.targets(options, unmatched));
        List<String> names = all ? List.copyOf(configured.keySet()) : targets;
        for (RegistrationTarget target : CaRegistrationSetup.select(configured, names)) {
            configured.put(target.name(), target.withCaRegistration(overridden(target.caRegistration())));
        }
        // Every configured template, not only the chosen targets': an account may take its template from another
        // target that reaches it, and all of this happens before the first call.
        CaRegistrationSetup.lintTemplates(configured.values(), CaRegistrationSetup.profile(profile))
                .forEach(w -> System.err.println("keyline: warning: " + w));

        String caId = CaRegistrations.certificateId(caCertificate);
        CertificateAuthority[] loaded = new CertificateAuthority[1];
        try (IotClients clients = new IotClients()) {
            CaRegistrationPlan plan = CaRegistrationSetup.plan(CaRegistrationSetup.accounts(configured.values(), clients));
            List<AccountPlan> selected = plan.applyOrder().stream()
                    .filter(a -> a.targetNames().stream().anyMatch(names::contains)).toList();
            List<CaRegistrations.Action> actions = new ArrayList<>();
            Map<AccountPlan, CaRegistrar> registrars = new LinkedHashMap<>();
            for (AccountPlan account : selected) {
                CaRegistrar registrar = new CaRegistrar(clients.adminClient(account.target()), account.accountId(), account.region());
                registrars.put(account, registrar);
                actions.add(CaRegistrations.decide(account, registrar.describe(caId)));
            }
            refuseUnallowedReplacements(actions);
            if (actions.stream().anyMatch(CaRegistrations.Action::needsCaKey)) {
                // Unlocked before the first write: a wrong passphrase or PIN changes nothing in AWS.
                loaded[0] = CaRegistrationSetup.loadCa(options.ca, Optional.ofNullable(passphraseFile));
            }
            System.out.println("CA " + caCertificate.getSubjectX500Principal().getName() + " (certificate id " + caId + "):");
            int failed = 0;
            for (CaRegistrations.Action action : actions) {
                try {
                    CaRegistrations.Outcome outcome = CaRegistrations.apply(action, registrars.get(action.plan()), caCertificate,
                            () -> loaded[0], new CaRegistrations.Options(!inactive), clock);
                    CaRegistrationReport.outcome(outcome).forEach(System.out::println);
                } catch (CaRegistrationException e) {
                    failed++;
                    System.out.println("  " + action.plan().describeWhere() + ": FAILED");
                    System.err.println("keyline: " + e.getMessage());
                }
            }
            System.out.println(CaRegistrationReport.summary(actions.size(), failed));
            return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        } finally {
            CaRegistrationSetup.close(loaded[0]);
        }
    }

    private void checkOptions() {
        if (all == !targets.isEmpty()) {
            throw new UsageException(all ? "give either --all or --target NAME, not both"
                    : "name the target(s) to register the CA with: --target NAME (repeatable), or --all");
        }
        boolean overrides = mode != null || jitpTemplate != null || roleArn != null;
        if (overrides && targets.size() != 1) {
            throw new UsageException("--mode, --jitp-template and --role-arn apply to one --target; for several, set ca-mode, "
                    + "jitp-template and jitp-role-arn on each target in the configuration");
        }
        if ((jitpTemplate == null) != (roleArn == null)) {
            throw new UsageException(jitpTemplate == null ? "--role-arn goes with --jitp-template" : "--jitp-template needs "
                    + "--role-arn: the IAM role AWS IoT assumes to provision devices (with AWSIoTThingsRegistration)");
        }
    }

    /**
     * A chosen target's CA settings with the command line's --auto-registration, and --mode and --jitp-template/--role-arn
     * (which are only allowed with a single --target).
     */
    private CaRegistrationSettings overridden(CaRegistrationSettings configured) {
        Optional<CaMode> wanted = configured.mode();
        if (mode != null) {
            try {
                wanted = Optional.of(CaMode.of(mode));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--mode: " + e.getMessage());
            }
        }
        Optional<JitpTemplate> jitp = configured.jitp();
        if (jitpTemplate != null) {
            try {
                jitp = Optional.of(new JitpTemplate(jitpTemplate.toString(), Files.readString(jitpTemplate), roleArn));
            } catch (IOException e) {
                throw new UsageException("--jitp-template " + jitpTemplate + ": cannot read it (" + e.getMessage() + ")");
            } catch (IllegalArgumentException e) {
                throw new UsageException("--role-arn / --jitp-template: " + e.getMessage());
            }
        }
        return new CaRegistrationSettings(wanted, jitp, configured.autoRegistration() || autoRegistration);
    }

    private void refuseUnallowedReplacements(List<CaRegistrations.Action> actions) {
        if (replace) {
            return;
        }
        List<String> refused = new ArrayList<>();
        for (CaRegistrations.Action action : actions) {
            if (action.kind() == CaRegistrations.Kind.REPLACE) {
                refused.add(action.plan().describeWhere() + " holds the CA as " + action.current().orElseThrow().mode()
                        + ", and the plan says " + action.plan().mode());
            }
        }
        if (!refused.isEmpty()) {
            throw new UsageException(String.join("; ", refused) + ": AWS IoT cannot change a CA's mode, so this needs "
                    + "--replace (the registration is made INACTIVE, deleted and registered again; devices already registered "
                    + "under it keep their mode). Nothing was changed.");
        }
    }
}
