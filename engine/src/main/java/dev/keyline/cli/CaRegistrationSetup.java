package dev.keyline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.keyline.aws.CaPlanException;
import dev.keyline.aws.CaRegistrationPlan;
import dev.keyline.aws.IotClients;
import dev.keyline.aws.RegistrationTarget;
import dev.keyline.aws.TargetAccount;
import dev.keyline.ca.CertificateAuthority;
import dev.keyline.ca.store.CaFolder;
import dev.keyline.ca.store.HsmCaSigner;
import dev.keyline.lint.CaCertificateLint;
import dev.keyline.lint.Finding;
import dev.keyline.lint.JitpTemplateLint;
import dev.keyline.lint.TemplateCheck;
import dev.keyline.x509.CertificateProfile;
import dev.keyline.job.RegistrationTargets;
import picocli.CommandLine.Option;

/**
 * What {@code keyline ca register}, {@code plan} and {@code describe} share: the CA certificate and the checks it must
 * pass before anything is sent, the configured targets, their accounts and the registration plan over all of them.
 * Every refusal here is a {@link UsageException} (exit code 2) with the reasons, before any call to AWS IoT.
 */
final class CaRegistrationSetup {

    /** The options every CA registration command takes. */
    static final class Options {
        @Option(names = "--ca", required = true, paramLabel = "DIR",
                description = "the CA folder (its ca.crt.pem is registered; the key is needed only to sign a DEFAULT "
                        + "registration's verification certificate)")
        Path ca;

        @Option(names = "--config", paramLabel = "FILE", description = TargetSettings.CONFIG_HELP)
        Path config;
    }

    private CaRegistrationSetup() {
    }

    /** The CA's certificate, {@code DIR/ca.crt.pem}, read without its key. */
    static X509Certificate caCertificate(Path caDir) {
        Path pem = caDir.resolve(CaFolder.CERTIFICATE_FILE);
        if (!Files.isRegularFile(pem)) {
            throw new UsageException("--ca " + caDir + ": no " + CaFolder.CERTIFICATE_FILE + " there; give the folder of "
                    + "a CA made by `keyline ca init`");
        }
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException | ClassCastException e) {
            throw new UsageException(pem + " is not a PEM certificate (" + e.getMessage() + "): restore it from your backup");
        }
    }

    /** Refuses a CA certificate AWS IoT would not register, listing every reason. */
    static void requireRegistrable(X509Certificate ca, Path caDir, Clock clock) {
        List<Finding> findings = CaCertificateLint.check(ca, clock.instant());
        if (!findings.isEmpty()) {
            throw new UsageException("the CA certificate in " + caDir + " cannot be registered with AWS IoT (nothing was sent):"
                    + bullets(findings));
        }
    }

    /** Every configured target; none configured is a usage error. */
    static Map<String, RegistrationTarget> targets(Options options, List<String> unmatched) {
        List<String> settings = TargetSettings.fromArguments(unmatched);
        Map<String, RegistrationTarget> configured = RegistrationTargets.configured(
                Optional.ofNullable(options.config).map(c -> c.toAbsolutePath().normalize()), settings, options.ca);
        if (configured.isEmpty()) {
            throw new UsageException("no registration target is configured: give --config FILE or "
                    + "--keyline.targets.<name>.region=... (see samples/targets.yaml)");
        }
        return configured;
    }

    /** The targets named, in that order; an unknown name is a usage error listing the configured ones. */
    static List<RegistrationTarget> select(Map<String, RegistrationTarget> configured, List<String> names) {
        List<RegistrationTarget> chosen = new ArrayList<>();
        for (String name : names) {
            RegistrationTarget target = configured.get(name);
            if (target == null) {
                throw new UsageException("--target " + name + " is not configured: configured targets are " + configured.keySet());
            }
            if (!chosen.contains(target)) {
                chosen.add(target);
            }
        }
        return chosen;
    }

    /**
     * Lints every JITP template of the targets against the profile devices are issued with; refuses on any error and
     * returns the warnings.
     */
    static List<String> lintTemplates(Collection<RegistrationTarget> targets, CertificateProfile profile) {
        List<String> warnings = new ArrayList<>();
        Map<String, String> checked = new LinkedHashMap<>();
        for (RegistrationTarget target : targets) {
            target.caRegistration().jitp().ifPresent(t -> checked.putIfAbsent(t.source(), t.body()));
        }
        List<String> errors = new ArrayList<>();
        checked.forEach((source, body) -> {
            TemplateCheck check = JitpTemplateLint.check(source, body, profile);
            for (Finding f : check.findings()) {
                String text = f.explain().contains(source) ? f.explain() : source + ": " + f.explain();
                (f.isError() ? errors : warnings).add(text);
            }
        });
        if (!errors.isEmpty()) {
            throw new UsageException("the JITP template cannot be attached to the CA (nothing was sent):\n  - "
                    + String.join("\n  - ", errors));
        }
        return warnings;
    }

    /** Each target's account: configured, else asked of STS GetCallerIdentity with the target's credentials. */
    static Map<RegistrationTarget, TargetAccount> accounts(Collection<RegistrationTarget> targets, IotClients clients) {
        Map<RegistrationTarget, TargetAccount> accounts = new LinkedHashMap<>();
        for (RegistrationTarget target : targets) {
            accounts.put(target, TargetAccount.of(target, clients::callerAccount));
        }
        return accounts;
    }

    /** The plan over every configured target; a conflict is a usage error with each conflict on a line. */
    static CaRegistrationPlan plan(Map<RegistrationTarget, TargetAccount> accounts) {
        try {
            return CaRegistrationPlan.of(accounts);
        } catch (CaPlanException e) {
            throw new UsageException("the CA registration plan is refused (nothing was registered):\n  - "
                    + String.join("\n  - ", e.conflicts()));
        }
    }

    /** The profile devices are issued with ({@code --profile}), for the template lint. */
    static CertificateProfile profile(Path file) {
        return file == null ? CertificateProfile.defaults() : CertificateProfile.load(file);
    }

    /** Unlocks the CA's signer: the PKCS#12 passphrase, or the token's PIN for a key in an HSM. */
    static CertificateAuthority loadCa(Path caDir, Optional<Path> passphraseFile) {
        return new CaFolder(caDir).keyStore().open(Secrets.ca(passphraseFile));
    }

    /** Closes the token a CA's key lives in, if it does. */
    static void close(CertificateAuthority ca) {
        if (ca != null && ca.signer() instanceof HsmCaSigner token) {
            token.close();
        }
    }

    private static String bullets(List<Finding> findings) {
        StringBuilder text = new StringBuilder();
        for (Finding f : findings) {
            text.append("\n  - ").append(f.explain());
        }
        return text.toString();
    }
}
