package dev.keyline.lint;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import dev.keyline.x509.SubjectName.Attribute;
import dev.keyline.x509.SubjectName.AttributeType;
import dev.keyline.x509.SubjectRules;

/**
 * Examines device certificates made elsewhere, the way AWS IoT will meet them: the subject as a template sees it,
 * the likely cause of a malformed name and the OpenSSL command that makes it right, key and signature against what
 * AWS IoT accepts, validity, key usage, the chain to a CA, and a template's references; when the device cannot be
 * changed, a template that works with it. Stateless after construction and thread-safe.
 */
public final class CertificateDoctor {

    public static final String SUBJECT = "certificate.subject";

    private final List<X509Certificate> cas;
    private final Optional<ProvisioningTemplate> template;
    private final Clock clock;

    /**
     * @param cas      CA certificates to verify the chain against; empty: the chain is not checked
     * @param template the CA's JITP template: only {@code AWS::IoT::Certificate::*} values and Defaults resolve
     */
    public CertificateDoctor(List<X509Certificate> cas, Optional<ProvisioningTemplate> template, Clock clock) {
        this.cas = List.copyOf(cas);
        this.template = Objects.requireNonNull(template, "template");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Diagnosis examine(String source, X509Certificate cert) {
        Observations seen = new Observations();
        X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
        CertificateSubject asAws = CertificateSubject.of(subject);
        Map<String, String> awsValues = new LinkedHashMap<>();
        for (CertificateParameter p : CertificateParameter.values()) {
            asAws.asAwsSees(p).ifPresent(v -> awsValues.put(p.parameterName(), v));
        }
        List<SeparatorMistake> mistakes = new ArrayList<>();
        subjectRules(subject, seen, mistakes);
        Optional<String> command = mistakes.isEmpty() ? Optional.empty() : Optional.of(correctedCommand(subject, mistakes));

        KeyAcceptance.check(cert.getPublicKey(), seen);
        CertificateUsage.validity(cert, clock.instant(), seen);
        CertificateUsage.usages(cert, seen);
        if (!cas.isEmpty()) {
            CertificateUsage.chain(cert, cas, clock.instant(), seen);
        }

        List<ReferenceCheck.Resolution> resolutions = List.of();
        List<String> cloudChanges = List.of();
        List<String> notRepaired = List.of();
        Optional<String> correctedTemplate = Optional.empty();
        if (template.isPresent()) {
            ProvisioningTemplate t = template.get();
            resolutions = ReferenceCheck.resolve(t, asAws);
            ReferenceCheck.check(t, asAws).forEach(seen::add);
            List<String> unresolved = resolutions.stream().filter(r -> !r.resolved())
                    .map(ReferenceCheck.Resolution::parameter).toList();
            if (!unresolved.isEmpty()) {
                TemplateRepair.Repair repair = TemplateRepair.repair(t, unresolved, intended(mistakes));
                cloudChanges = repair.changes();
                notRepaired = repair.left();
                correctedTemplate = repair.corrected().map(json -> TemplateLint.MAPPER.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(json));
            }
        }
        return new Diagnosis(source, cert.getSubjectX500Principal().getName(), awsValues, seen.passed(), seen.findings(),
                command, resolutions, cloudChanges, correctedTemplate, notRepaired);
    }

    /**
     * Keyline's subject rules on each attribute it knows. A broken name is a warning here, not an error: AWS takes the
     * certificate as it is; what fails is what uses the name (a template, a policy), and those checks say so.
     */
    private static void subjectRules(X500Name subject, Observations seen, List<SeparatorMistake> mistakes) {
        int before = seen.findings().size();
        for (RDN rdn : subject.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                Optional<AttributeType> type = AttributeType.fromName(atv.getType().getId());
                if (type.isEmpty() || !(atv.getValue() instanceof ASN1String text)) {
                    continue;
                }
                Attribute attribute = new Attribute(type.get(), text.getString());
                Optional<SeparatorMistake> mistake = SeparatorMistake.find(type.get().shortName(), attribute.value());
                if (mistake.isPresent()) {
                    mistakes.add(mistake.get());
                    seen.add(Finding.warning(RowFindings.EMBEDDED_ATTRIBUTE, type.get().shortName(), attribute.value(),
                            mistake.get().explanation(), "make the request again with the attributes separated by `/` "
                                    + "(see the corrected command)"));
                    continue;
                }
                for (var rule : SubjectRules.DEFAULT) {
                    Optional<String> problem = rule.check(attribute);
                    if (problem.isPresent()) {
                        seen.add(Finding.warning(RowFindings.codeOf(attribute).orElse(SUBJECT), type.get().shortName(),
                                attribute.value(), RowFindings.whatOf(problem.get(), attribute.value()),
                                RowFindings.fixOf(problem.get(), attribute.value())));
                        break;
                    }
                }
            }
        }
        if (seen.findings().size() == before) {
            seen.ok("subject: no malformed attribute");
        }
    }

    /** {@code openssl req -new -key device.key -subj "/CN=testThing/C=US" -out device.csr}, and the Git Bash form. */
    private static String correctedCommand(X500Name subject, List<SeparatorMistake> mistakes) {
        StringBuilder subj = new StringBuilder();
        for (RDN rdn : subject.getRDNs()) {
            AttributeTypeAndValue atv = rdn.getFirst();
            ASN1Encodable value = atv.getValue();
            String text = value instanceof ASN1String s ? s.getString() : value.toString();
            String name = AttributeType.fromName(atv.getType().getId()).map(AttributeType::shortName)
                    .orElseGet(() -> Optional.ofNullable(BCStyle.INSTANCE.oidToDisplayName(atv.getType()))
                            .orElse(atv.getType().getId()));
            Optional<SeparatorMistake> mistake = mistakes.stream()
                    .filter(m -> m.attribute().equals(name) && m.value().equals(text)).findFirst();
            subj.append(mistake.map(SeparatorMistake::correctedSlashForm).orElseGet(() -> SeparatorMistake.slash(name, text)));
        }
        return "openssl req -new -key device.key -subj \"" + subj + "\" -out device.csr"
                + "   (Git Bash on Windows: -subj \"/" + subj + "\")";
    }

    /** What the swallowed attributes were meant to be, as template parameters: C=US inside a CN means Country US. */
    private static Map<String, String> intended(List<SeparatorMistake> mistakes) {
        Map<String, String> out = new LinkedHashMap<>();
        for (SeparatorMistake m : mistakes) {
            for (SeparatorMistake.Swallowed s : m.swallowed()) {
                CertificateParameter.fromAttribute(s.type()).ifPresent(p -> out.putIfAbsent(p.parameterName(), s.value()));
            }
        }
        return out;
    }
}
