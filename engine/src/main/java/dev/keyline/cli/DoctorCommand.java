package dev.keyline.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.keyline.lint.CertificateDoctor;
import dev.keyline.lint.CertificateFiles;
import dev.keyline.lint.Diagnosis;
import dev.keyline.lint.ProvisioningTemplate;
import dev.keyline.lint.TemplateLint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code keyline doctor}: explain device certificates made elsewhere, the way AWS IoT will meet them. */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Examine device certificates made elsewhere (PEM or DER, one or many per file): the subject as "
                + "AWS IoT passes it to a template (AWS::IoT::Certificate::*, AWS-escaped), the likely cause of a "
                + "malformed name with the corrected `openssl req -subj` command, key type and size and signature "
                + "against what AWS IoT accepts, validity, keyUsage/extendedKeyUsage (clientAuth), the chain to --ca, "
                + "and with --template which references resolve; when the device cannot be changed, a corrected "
                + "template is printed.",
                "--template is the CA's just-in-time provisioning template: only the AWS::IoT::Certificate::* values "
                        + "and the template's Defaults are available, as in JITP.",
                "Exit codes: 0 nothing would fail (warnings allowed), 1 something would fail, 2 usage error "
                        + "(unreadable certificate, template or CA file)."})
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "CERT", description = "certificate files, PEM or DER")
    List<Path> certificates;

    @Option(names = "--ca", paramLabel = "CA.pem", description = "CA certificate(s) to verify the chain against (PEM or DER)")
    Path ca;

    @Option(names = "--template", paramLabel = "T.json", description = "the CA's JITP provisioning template")
    Path template;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) | json")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw new UsageException("--format must be text or json, not " + format);
        }
        List<X509Certificate> cas = ca == null ? List.of() : CertificateFiles.read(ca);
        Optional<ProvisioningTemplate> jitp = Optional.empty();
        if (template != null) {
            if (!Files.isRegularFile(template)) {
                throw new UsageException("no template at " + template);
            }
            // A broken template is a usage error (InvalidTemplateException, exit 2): nothing can be said through it.
            jitp = Optional.of(TemplateLint.check(template).require());
        }
        CertificateDoctor doctor = new CertificateDoctor(cas, jitp, Clock.systemUTC());
        List<Diagnosis> diagnoses = new ArrayList<>();
        for (Path file : certificates) {
            List<X509Certificate> found = CertificateFiles.read(file);
            for (int i = 0; i < found.size(); i++) {
                diagnoses.add(doctor.examine(found.size() == 1 ? file.toString() : file + "#" + (i + 1), found.get(i)));
            }
        }
        String templateName = template == null ? null : template.toString();
        if (format.equals("json")) {
            DoctorReports.json(diagnoses, templateName, spec.commandLine().getOut());
        } else {
            DoctorReports.text(diagnoses, templateName, spec.commandLine().getOut());
        }
        return diagnoses.stream().anyMatch(Diagnosis::wouldFail) ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
