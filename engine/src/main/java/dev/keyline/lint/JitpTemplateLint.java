package dev.keyline.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import dev.keyline.x509.CertificateProfile;
import dev.keyline.x509.SubjectName.AttributeType;

/**
 * Checks a just-in-time provisioning template before it is attached to a CA: everything {@link TemplateLint} checks,
 * then what JITP adds (reference/aws-iot.md section 5): the certificate resource must take the device certificate by
 * {@code CertificateId: {"Ref": "AWS::IoT::Certificate::Id"}}, and every parameter the template needs must resolve for
 * every device issued under the CA's certificate profile. During JITP AWS IoT fills only the
 * {@code AWS::IoT::Certificate::*} parameters from the certificate, so a plain parameter needs a Default, and a
 * subject attribute is sure to be there only when the profile requires it ({@code required-subject}). A CN that is
 * not required is a warning: Keyline gives every device one unless the manifest's {@code subject} leaves it out.
 * Stateless and thread-safe.
 */
public final class JitpTemplateLint {

    public static final String CERTIFICATE_ID = "jitp.certificate-id";
    public static final String UNRESOLVED = "jitp.unresolved-reference";
    public static final String COMMON_NAME = "jitp.common-name";

    private static final String ID_REFERENCE = CertificateParameter.ID.parameterName();

    private JitpTemplateLint() {
    }

    /** Checks the template text {@code name} holds against the profile the CA issues devices with. */
    public static TemplateCheck check(String name, String text, CertificateProfile profile) {
        TemplateCheck general = TemplateLint.check(name, text);
        if (general.template().isEmpty()) {
            return general;
        }
        ProvisioningTemplate template = general.template().get();
        List<Finding> findings = new ArrayList<>(general.findings());
        certificateResource(template, findings);
        ProfileSubject source = new ProfileSubject(profile);
        for (ReferenceCheck.Resolution r : ReferenceCheck.resolve(template, source)) {
            if (!r.resolved()) {
                findings.add(Finding.error(UNRESOLVED, r.parameter(), null, AwsErrors.cannotResolve(r.parameter())
                        + " (used at " + r.path() + "), for a device whose certificate lacks it: " + source.whyMissing(r.parameter()),
                        source.howToSupply(r.parameter()) + "; or give Parameters." + r.parameter() + " a \"Default\" in "
                                + name + ", or stop referencing it"));
            } else if (r.parameter().equals(CertificateParameter.COMMON_NAME.parameterName())
                    && !profile.requiredSubject().contains(AttributeType.CN) && !"template Default".equals(r.from())) {
                findings.add(Finding.warning(COMMON_NAME, r.parameter(), null, name + " uses the certificate's CN (at "
                        + r.path() + "); Keyline gives every device a CN (its device id unless common_name says otherwise), "
                        + "but a manifest subject column can leave it out", "add CN to the profile's required-subject so such "
                        + "rows are refused before signing"));
            }
        }
        return new TemplateCheck(Optional.of(template), findings);
    }

    /** JITP hands the template the certificate AWS IoT just registered: only CertificateId can name it. */
    private static void certificateResource(ProvisioningTemplate template, List<Finding> findings) {
        JsonNode resources = template.json().get("Resources");
        boolean found = false;
        if (resources != null && resources.isObject()) {
            for (Map.Entry<String, JsonNode> r : resources.properties()) {
                JsonNode type = r.getValue().get("Type");
                if (type == null || !type.isString() || !type.stringValue().equals(TemplateLint.CERTIFICATE)) {
                    continue;
                }
                found = true;
                JsonNode id = r.getValue().path("Properties").get("CertificateId");
                boolean byId = id != null && id.isObject() && id.size() == 1 && id.get("Ref") != null
                        && ID_REFERENCE.equals(id.get("Ref").asString());
                if (!byId) {
                    findings.add(Finding.error(CERTIFICATE_ID, "Resources." + r.getKey() + ".Properties", null,
                            AwsErrors.refused("a JITP template's certificate must be {\"CertificateId\": {\"Ref\": \""
                                    + ID_REFERENCE + "\"}}; Resources." + r.getKey() + " names it otherwise"),
                            "write \"Properties\": {\"CertificateId\": {\"Ref\": \"" + ID_REFERENCE + "\"}} (plus \"Status\" "
                                    + "if wanted)"));
                }
            }
        }
        if (!found) {
            findings.add(Finding.error(CERTIFICATE_ID, "Resources", null, AwsErrors.refused("a JITP template needs an "
                    + TemplateLint.CERTIFICATE + " resource for the device's certificate"), "add \"certificate\": {\"Type\": \""
                    + TemplateLint.CERTIFICATE + "\", \"Properties\": {\"CertificateId\": {\"Ref\": \"" + ID_REFERENCE
                    + "\"}, \"Status\": \"ACTIVE\"}}"));
        }
    }
}
