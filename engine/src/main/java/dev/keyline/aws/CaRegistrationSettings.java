package dev.keyline.aws;

import java.util.Objects;
import java.util.Optional;

/**
 * How a target wants the device CA registered in its account (keys {@code ca-mode}, {@code jitp-template},
 * {@code jitp-role-arn}, {@code ca-auto-registration}).
 *
 * @param mode             DEFAULT or SNI_ONLY; empty: the CA registration plan chooses
 * @param jitp             the just-in-time provisioning template and role; empty: none
 * @param autoRegistration whether devices' certificates are registered on first connect (JITR); a JITP template
 *                         implies it
 */
public record CaRegistrationSettings(Optional<CaMode> mode, Optional<JitpTemplate> jitp, boolean autoRegistration) {

    public CaRegistrationSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(jitp, "jitp");
        autoRegistration = autoRegistration || jitp.isPresent();
    }

    /** No wish: the plan chooses the mode; no template, no auto-registration. */
    public static CaRegistrationSettings none() {
        return new CaRegistrationSettings(Optional.empty(), Optional.empty(), false);
    }
}
