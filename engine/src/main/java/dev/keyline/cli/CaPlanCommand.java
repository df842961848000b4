package dev.keyline.cli;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.keyline.aws.CaRegistrar;
import dev.keyline.aws.CaRegistrationException;
import dev.keyline.aws.CaRegistrationPlan;
import dev.keyline.aws.CaRegistrationPlan.AccountPlan;
import dev.keyline.aws.CaRegistrations;
import dev.keyline.aws.IotClients;
import dev.keyline.aws.RegistrationTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code keyline ca plan}: which account holds the CA in which mode, per region, and what registering would change. */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show, per region, which account holds the device CA in DEFAULT mode and which in SNI_ONLY, for the "
                + "configured targets, and what `keyline ca register --all` would do in each account.",
                "A target's account is its account-id, else the account of its role-arn, else what STS "
                        + "GetCallerIdentity answers for its credentials. Its mode is its ca-mode (DEFAULT or SNI_ONLY); "
                        + "without one the plan chooses: SNI_ONLY where another account of the region asks for DEFAULT, "
                        + "DEFAULT for the only account of a region without a ca-mode, else SNI_ONLY.",
                "Refuses (exit 2) a plan that asks for DEFAULT twice in one region, or two modes or templates for one "
                        + "account. Checks the CA certificate and the JITP templates as `ca register` does.",
                "Calls only read operations: GetCallerIdentity where needed and DescribeCACertificate per account.",
                "Exit codes: 0 planned, 1 an account could not be described, 2 usage or configuration error."})
final class CaPlanCommand implements Callable<Integer> {

    @Mixin
    CaRegistrationSetup.Options options = new CaRegistrationSetup.Options();

    @Option(names = "--target", paramLabel = "NAME",
            description = "show only these targets' accounts (repeatable); the plan always covers every configured target")
    List<String> targets = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "FILE", description = "the certificate profile devices are issued with, for "
            + "the JITP template lint (default: the built-in profile)")
    Path profile;

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Override
    public Integer call() {
        X509Certificate caCertificate = CaRegistrationSetup.caCertificate(options.ca);
        CaRegistrationSetup.requireRegistrable(caCertificate, options.ca, Clock.systemUTC());
        Map<String, RegistrationTarget> configured = CaRegistrationSetup.targets(options, unmatched);
        List<String> shown = targets.isEmpty() ? List.copyOf(configured.keySet()) : targets;
        CaRegistrationSetup.select(configured, shown);
        CaRegistrationSetup.lintTemplates(configured.values(), CaRegistrationSetup.profile(profile))
                .forEach(w -> System.err.println("keyline: warning: " + w));
        String caId = CaRegistrations.certificateId(caCertificate);
        try (IotClients clients = new IotClients()) {
            CaRegistrationPlan plan = CaRegistrationSetup.plan(CaRegistrationSetup.accounts(configured.values(), clients));
            System.out.println("CA registration plan for " + caCertificate.getSubjectX500Principal().getName()
                    + " (certificate id " + caId + "):");
            int unknown = 0;
            boolean replacements = false;
            String region = null;
            for (AccountPlan account : plan.accounts()) {
                if (account.targetNames().stream().noneMatch(shown::contains)) {
                    continue;
                }
                if (!account.region().equals(region)) {
                    region = account.region();
                    System.out.println("region " + region + ":");
                }
                CaRegistrationPlan.describe(account).forEach(System.out::println);
                try {
                    CaRegistrar registrar = new CaRegistrar(clients.adminClient(account.target()), account.accountId(),
                            account.region());
                    CaRegistrations.Action action = CaRegistrations.decide(account, registrar.describe(caId));
                    System.out.println("    now: " + action.current().map(c -> "registered as " + c.summary())
                            .orElse("not registered") + " -> " + next(action));
                    replacements |= action.kind() == CaRegistrations.Kind.REPLACE;
                } catch (CaRegistrationException e) {
                    unknown++;
                    System.out.println("    now: cannot tell: " + e.getMessage());
                }
            }
            System.out.println("Apply with: keyline ca register --ca " + options.ca + " --all"
                    + (replacements ? " --replace (a mode changes)" : ""));
            return unknown == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private static String next(CaRegistrations.Action action) {
        return switch (action.kind()) {
            case REGISTER -> "register as " + action.plan().mode();
            case NOTHING -> "nothing to do";
            case UPDATE -> String.join("; ", action.changes());
            case REPLACE -> "replace by " + action.plan().mode() + " (needs --replace)";
        };
    }
}
