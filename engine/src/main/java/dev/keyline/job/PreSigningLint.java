package dev.keyline.job;

import java.nio.file.Path;
import java.util.Optional;

import org.bouncycastle.asn1.x500.X500Name;

import dev.keyline.lint.DeviceLinter;
import dev.keyline.lint.ProvisioningTemplate;
import dev.keyline.lint.TemplateLint;

/**
 * Builds the lint a run applies before signing, from its job parameters, so a restart applies the same one. The key
 * against the profile is left to {@link DeviceProvisioner}, which has always checked it with its own message.
 */
final class PreSigningLint {

    private PreSigningLint() {
    }

    /**
     * @param template the run's template; empty: none
     * @return empty when there is nothing to apply beyond what the provisioner already checks
     * @throws dev.keyline.lint.InvalidTemplateException when the template (changed since the run started?) is invalid
     */
    static Optional<DeviceLinter> of(IssuanceKit kit, Optional<Path> template, boolean cnToSan) {
        if (template.isEmpty() && !cnToSan) {
            return Optional.empty();
        }
        Optional<ProvisioningTemplate> checked = template.map(t -> TemplateLint.check(t).require());
        X500Name issuer = kit.ca().subject();
        return Optional.of(new DeviceLinter(checked, Optional.of(issuer), Optional.empty(), kit.defaultKey(), cnToSan));
    }
}
