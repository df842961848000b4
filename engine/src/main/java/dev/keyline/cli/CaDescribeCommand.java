package dev.keyline.cli;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.keyline.aws.CaRegistrar;
import dev.keyline.aws.CaRegistrations;
import dev.keyline.aws.IotClients;
import dev.keyline.aws.RegisteredCa;
import dev.keyline.aws.RegistrationTarget;
import dev.keyline.aws.TargetAccount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/** {@code keyline ca describe}: the CA as AWS IoT holds it in a target's account. */
@Command(name = "describe", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the device CA as AWS IoT Core holds it in a target's account (DescribeCACertificate): "
                + "status, mode (DEFAULT or SNI_ONLY), auto-registration, JITP template and role, validity.",
                "Exit codes: 0 described (also when the account does not hold the CA: it says so), 1 AWS could not be "
                        + "asked, 2 usage or configuration error."})
final class CaDescribeCommand implements Callable<Integer> {

    @Mixin
    CaRegistrationSetup.Options options = new CaRegistrationSetup.Options();

    @Option(names = "--target", required = true, paramLabel = "NAME", description = "a configured target (repeatable)")
    List<String> targets = new ArrayList<>();

    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Override
    public Integer call() {
        X509Certificate caCertificate = CaRegistrationSetup.caCertificate(options.ca);
        Map<String, RegistrationTarget> configured = CaRegistrationSetup.targets(options, unmatched);
        List<RegistrationTarget> chosen = CaRegistrationSetup.select(configured, targets);
        String caId = CaRegistrations.certificateId(caCertificate);
        System.out.println("CA " + caCertificate.getSubjectX500Principal().getName() + " (certificate id " + caId + "):");
        try (IotClients clients = new IotClients()) {
            for (RegistrationTarget target : chosen) {
                TargetAccount account = TargetAccount.of(target, clients::callerAccount);
                Optional<RegisteredCa> ca = new CaRegistrar(clients.adminClient(target), account.accountId(), target.region())
                        .describe(caId);
                String where = "target " + target.name() + ": account " + account.accountId() + " in " + target.region();
                if (ca.isEmpty()) {
                    System.out.println(where + ": not registered (register it with: keyline ca register --ca " + options.ca
                            + " --target " + target.name() + ")");
                } else {
                    System.out.println(where + ":");
                    CaRegistrationReport.description(ca.get()).forEach(System.out::println);
                }
            }
        }
        return ExitCodes.OK;
    }
}
