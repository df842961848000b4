package dev.keyline.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.bouncycastle.asn1.x500.X500Name;

import dev.keyline.ca.store.CaFolder;
import dev.keyline.device.ManifestFile;
import dev.keyline.device.ManifestFormat;
import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.lint.CertificateFiles;
import dev.keyline.lint.DeviceLinter;
import dev.keyline.lint.Finding;
import dev.keyline.lint.LintSummary;
import dev.keyline.lint.ManifestLinter;
import dev.keyline.lint.ProvisioningTemplate;
import dev.keyline.lint.TemplateCheck;
import dev.keyline.lint.TemplateLint;
import dev.keyline.x509.CertificateProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code keyline lint}: every check of {@code keyline run}, and the template's, without signing anything. */
@Command(name = "lint", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check every device of a manifest without signing anything: subject rules (separator mistakes, "
                + "country codes, lengths, empty or unknown attributes), SANs, keys against the profile, the subject "
                + "against the CA's, and with --template every provisioning-template reference, resolved with each "
                + "device's own values.",
                "No passphrase is needed: --ca reads only DIR/ca.crt.pem. The manifest streams; memory stays flat.",
                "Exit codes: 0 no errors (warnings are allowed: they are reported and do not fail), 1 at least one "
                        + "error (in a device or in the template), 2 usage or configuration error."})
final class LintCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MANIFEST", description = "device manifest: CSV with a header, or JSON Lines; UTF-8 or UTF-16; "
            + "either may be gzip (.csv.gz, .jsonl.gz). A row that cannot be read is rejected with its line; a file "
            + "that cannot be read is exit 2")
    Path manifest;

    @Option(names = "--template", paramLabel = "T.json",
            description = "AWS IoT provisioning template (JITP, RegisterThing or bulk) to check and resolve per device")
    Path template;

    @Option(names = "--profile", paramLabel = "FILE", description = "certificate profile, YAML or JSON (allowed keys)")
    Path profile;

    @Option(names = "--ca", paramLabel = "DIR", description = "CA folder: refuse devices named like the CA (reads ca.crt.pem only)")
    Path ca;

    @Option(names = "--key", paramLabel = "ALG", description = "the run's default device key, as for keyline run")
    String key;

    @Option(names = "--cn-to-san", description = "check as keyline run --cn-to-san would issue: a host-name or IP CN is "
            + "copied into the SAN instead of warned about")
    boolean cnToSan;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (for people, default) | json (one JSON document with findings and counts)")
    String format;

    @Option(names = "--manifest-format", paramLabel = "FORMAT", description = "csv | jsonl (default: from the file name)")
    String manifestFormat;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format must be text or json, not " + format);
        }
        ManifestFile.require(manifest);
        ManifestFormat rows = ManifestFormat.of(manifest, manifestFormat);
        CertificateProfile certificateProfile = Optional.ofNullable(profile).map(CertificateProfile::load)
                .orElseGet(CertificateProfile::defaults);
        Optional<X500Name> issuer = Optional.ofNullable(ca).map(LintCommand::caSubject);
        TemplateCheck templateCheck = null;
        if (template != null) {
            if (!Files.isRegularFile(template)) {
                throw new UsageException("no template at " + template);
            }
            templateCheck = TemplateLint.check(template);
        }
        Optional<ProvisioningTemplate> parsed = templateCheck == null ? Optional.empty() : templateCheck.template();
        List<Finding> templateFindings = templateCheck == null ? List.of() : templateCheck.findings();
        DeviceLinter devices = new DeviceLinter(parsed, issuer, Optional.of(certificateProfile),
                Optional.ofNullable(key).map(KeyAlgorithm::fromId), cnToSan);

        LintReport report = format.equals("json")
                ? new JsonLintReport(spec.commandLine().getOut(), manifest.toString(), template == null ? null : template.toString())
                : new TextLintReport(spec.commandLine().getOut());
        report.template(String.valueOf(template), templateFindings);
        LintSummary summary = new ManifestLinter(devices).lint(manifest, rows, report::device);
        report.end(summary, templateFindings);
        boolean templateErrors = templateFindings.stream().anyMatch(Finding::isError);
        return summary.errors() == 0 && !templateErrors ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** The CA's subject as its certificate encodes it; no key store is opened. */
    static X500Name caSubject(Path caDir) {
        Path certificate = caDir.resolve(CaFolder.CERTIFICATE_FILE);
        if (!Files.isRegularFile(certificate)) {
            throw new UsageException("no CA certificate at " + certificate + ": give --ca a folder made by keyline ca init");
        }
        return X500Name.getInstance(CertificateFiles.read(certificate).get(0).getSubjectX500Principal().getEncoded());
    }
}
