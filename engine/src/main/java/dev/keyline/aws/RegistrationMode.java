package dev.keyline.aws;

import java.util.Locale;

/** How a target registers a device's certificate. */
public enum RegistrationMode {
    /** RegisterCertificate with the CA's PEM: the CA must be registered and ACTIVE in the target's account. */
    WITH_CA,
    /** RegisterCertificateWithoutCA: multi-account registration; devices must send SNI. */
    WITHOUT_CA,
    /** RegisterThing with a provisioning template and per-device parameters. */
    TEMPLATE,
    /**
     * The bulk registration task (StartThingRegistrationTask): the template's parameters of many devices in an S3
     * file that AWS IoT works through itself, one task per account at a time.
     */
    BULK_TASK;

    /** The configuration spelling: {@code with-ca}, {@code without-ca}, {@code template}, {@code bulk-task}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Accepts {@code with-ca} as well as {@code WITH_CA}. */
    public static RegistrationMode of(String id) {
        String normalized = id.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (RegistrationMode mode : values()) {
            if (mode.name().equals(normalized)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown registration mode \"" + id + "\": use with-ca, without-ca, template or bulk-task");
    }
}
