package dev.keyline.lint;

import java.util.Optional;

/**
 * Where a device's template parameter values come from: the manifest row and the subject it will get
 * ({@link DeviceParameters}), or a certificate already made ({@link CertificateSubject}). Template Defaults are
 * applied by {@link ReferenceCheck} after the source, as AWS does.
 */
public interface ParameterSource {

    /** The value of a parameter and where it came from, or empty when this source has none. */
    Optional<Resolved> resolve(String parameter);

    /** Why the parameter has no value here, for the finding, e.g. "the subject has no C (country)". */
    String whyMissing(String parameter);

    /** How to supply it at this source, e.g. "add a country (C) to the device's subject". */
    String howToSupply(String parameter);

    /** A value, and a few words on where it came from ({@code subject C}, {@code manifest thing_name}). */
    record Resolved(String value, String from) {
    }
}
