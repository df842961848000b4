package dev.keyline.aws;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One place devices are registered: an AWS account in a region, how certificates are registered there, what else
 * is created, and the quotas that bound the calls. Configured as {@code keyline.targets.<name>.<setting>}; every
 * message of a refused setting names the setting and the fix.
 *
 * @param quotas         calls per second per operation; every operation is present (AWS's defaults where not configured)
 * @param caRegistration how the device CA is registered in this target's account ({@code keyline ca register})
 * @param bulk           mode bulk-task: the S3 bucket, role and task size; present exactly in that mode
 * @param createThingGroups whether a thing group the devices name that the account lacks is created (CreateThingGroup)
 *                          rather than refused before the first device
 * @param createThingType   whether a thing type the devices use that the account lacks is created (CreateThingType)
 *                          rather than refused before the first device
 */
public record RegistrationTarget(
        String name,
        String region,
        Optional<String> accountId,
        TargetCredentials credentials,
        Optional<URI> endpoint,
        RegistrationMode mode,
        Optional<String> policyName,
        boolean createThing,
        Optional<String> thingType,
        CertificateStatus certificateStatus,
        Map<IotOperation, Double> quotas,
        Optional<ProvisioningTemplate> template,
        Optional<String> caCertificatePem,
        CaRegistrationSettings caRegistration,
        Optional<BulkSettings> bulk,
        boolean createThingGroups,
        boolean createThingType) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern POLICY = Pattern.compile("[\\w+=,.@-]{1,128}");
    private static final Pattern THING_TYPE = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");

    public RegistrationTarget {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("target name \"" + name
                    + "\" is not usable: use 1-64 letters, digits, '-' or '_' (it becomes keyline.targets.<name>)");
        }
        String where = "keyline.targets." + name + ".";
        Objects.requireNonNull(region, where + "region");
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException(where + "region \"" + region + "\" is not an AWS region: write it as eu-west-1");
        }
        Objects.requireNonNull(accountId, "accountId");
        accountId.ifPresent(id -> {
            if (!ACCOUNT.matcher(id).matches()) {
                throw new IllegalArgumentException(where + "account-id \"" + id + "\" is not 12 digits: copy it from the AWS console or leave it out");
            }
        });
        Objects.requireNonNull(credentials, where + "credentials");
        if (credentials instanceof TargetCredentials.AssumeRole role && accountId.isPresent()
                && !role.roleArn().split(":")[4].equals(accountId.get())) {
            throw new IllegalArgumentException(where + "account-id " + accountId.get() + " does not match role-arn "
                    + role.roleArn() + ", which is in account " + role.roleArn().split(":")[4]
                    + ": correct one of them (the role acts in its own account)");
        }
        Objects.requireNonNull(endpoint, "endpoint");
        endpoint.ifPresent(uri -> {
            if (!uri.isAbsolute() || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(where + "endpoint \"" + uri + "\" is not an http(s) URL: write it as https://host:port or leave it out for AWS's own endpoint");
            }
        });
        Objects.requireNonNull(mode, where + "mode");
        Objects.requireNonNull(policyName, "policyName");
        policyName.ifPresent(p -> {
            if (!POLICY.matcher(p).matches()) {
                throw new IllegalArgumentException(where + "policy-name \"" + p + "\" is not an AWS IoT policy name: use 1-128 of letters, digits and _+=,.@-");
            }
        });
        Objects.requireNonNull(thingType, "thingType");
        thingType.ifPresent(t -> {
            if (!THING_TYPE.matcher(t).matches()) {
                throw new IllegalArgumentException(where + "thing-type \"" + t + "\" is not an AWS IoT thing type name: use 1-128 of letters, digits and :_-");
            }
        });
        Objects.requireNonNull(certificateStatus, where + "certificate-status");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(caCertificatePem, "caCertificatePem");
        quotas = withDefaults(Objects.requireNonNull(quotas, "quotas"), where);
        Objects.requireNonNull(caRegistration, where + "ca-mode");
        if (caRegistration.jitp().isPresent()) {
            String roleAccount = caRegistration.jitp().get().roleAccount();
            Optional<String> known = accountId.or(() -> credentials instanceof TargetCredentials.AssumeRole r
                    ? Optional.of(r.roleArn().split(":")[4]) : Optional.empty());
            if (known.isPresent() && !known.get().equals(roleAccount)) {
                throw new IllegalArgumentException(where + "jitp-role-arn is in account " + roleAccount + " but the target's "
                        + "account is " + known.get() + ": AWS IoT assumes the provisioning role in the CA's own account; "
                        + "give a role of account " + known.get());
            }
        }

        switch (mode) {
            case WITH_CA -> {
                if (caCertificatePem.isEmpty()) {
                    throw new IllegalArgumentException(where + "ca-certificate is missing: mode with-ca needs the PEM of the CA that signs "
                            + "the devices (registered and ACTIVE in the account); set it, or use mode without-ca");
                }
                parseCertificate(caCertificatePem.get(), where + "ca-certificate");
            }
            case TEMPLATE, BULK_TASK -> {
                if (template.isEmpty()) {
                    throw new IllegalArgumentException(where + "template is missing: mode " + mode.id() + " needs a provisioning "
                            + "template body; set it, or use mode with-ca / without-ca");
                }
                if (createThing || thingType.isPresent() || policyName.isPresent()) {
                    throw new IllegalArgumentException(where + "create-thing, thing-type and policy-name do not apply to mode "
                            + mode.id() + ": the template's Resources create the thing and attach the policy; remove them from the target");
                }
            }
            case WITHOUT_CA -> {
                // nothing more: the certificate is registered with no link to a CA
            }
        }
        Objects.requireNonNull(bulk, "bulk");
        if (mode == RegistrationMode.BULK_TASK && bulk.isEmpty()) {
            throw new IllegalArgumentException(where + "bulk.bucket and bulk.role-arn are missing: mode bulk-task uploads its input "
                    + "file to an S3 bucket that AWS IoT reads with a role; set both (and bulk.prefix if the bucket is shared)");
        }
        if (mode != RegistrationMode.BULK_TASK && bulk.isPresent()) {
            throw new IllegalArgumentException(where + "bulk.* is set but mode is " + mode.id() + ": use mode bulk-task, or remove the bulk settings");
        }
        if (bulk.isPresent()) {
            Optional<String> known = accountId.or(() -> credentials instanceof TargetCredentials.AssumeRole r
                    ? Optional.of(r.roleArn().split(":")[4]) : Optional.empty());
            if (known.isPresent() && !known.get().equals(bulk.get().roleAccount())) {
                throw new IllegalArgumentException(where + "bulk.role-arn is in account " + bulk.get().roleAccount() + " but the target's "
                        + "account is " + known.get() + ": AWS IoT assumes the task's role in its own account; give a role of account "
                        + known.get());
            }
        }
        if (mode != RegistrationMode.TEMPLATE && mode != RegistrationMode.BULK_TASK && template.isPresent()) {
            throw new IllegalArgumentException(where + "template is set but mode is " + mode.id() + ": use mode template, or remove the template");
        }
        if (thingType.isPresent() && !createThing) {
            throw new IllegalArgumentException(where + "thing-type is set but create-thing is false: set create-thing: true, or remove thing-type");
        }
    }

    /** A builder with AWS's defaults: default credential chain, mode without-ca, no thing, ACTIVE, default quotas. */
    public static Builder builder(String name, String region) {
        return new Builder(name, region);
    }

    /** This target with other CA registration settings (command-line options over the configuration). */
    public RegistrationTarget withCaRegistration(CaRegistrationSettings settings) {
        return new RegistrationTarget(name, region, accountId, credentials, endpoint, mode, policyName, createThing, thingType,
                certificateStatus, quotas, template, caCertificatePem, settings, bulk, createThingGroups, createThingType);
    }

    /** The quota of one operation, in calls per second. */
    public double quota(IotOperation operation) {
        return quotas.get(operation);
    }

    /** The target's CA, parsed (present exactly when {@link #caCertificatePem()} is). */
    public Optional<X509Certificate> caCertificate() {
        return caCertificatePem.map(pem -> parseCertificate(pem, "keyline.targets." + name + ".ca-certificate"));
    }

    private static Map<IotOperation, Double> withDefaults(Map<IotOperation, Double> configured, String where) {
        EnumMap<IotOperation, Double> all = new EnumMap<>(IotOperation.class);
        for (IotOperation operation : IotOperation.values()) {
            all.put(operation, operation.defaultQuota());
        }
        configured.forEach((operation, perSecond) -> {
            Objects.requireNonNull(operation, "quota operation");
            if (perSecond == null || !(perSecond > 0) || perSecond.isInfinite()) {
                throw new IllegalArgumentException(where + "quotas." + operation.awsName() + " = " + perSecond
                        + " is not a rate: give calls per second above 0 (AWS's default is " + operation.defaultQuota() + ")");
            }
            all.put(operation, perSecond);
        });
        return Collections.unmodifiableMap(all);
    }

    private static X509Certificate parseCertificate(String pem, String setting) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException(setting + " is not a PEM X.509 certificate (" + e.getMessage()
                    + "): give the CA's certificate as -----BEGIN CERTIFICATE----- ... text", e);
        }
    }

    /** Collects settings; {@link #build()} validates them all. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String region;
        private Optional<String> accountId = Optional.empty();
        private TargetCredentials credentials = TargetCredentials.defaultChain();
        private Optional<URI> endpoint = Optional.empty();
        private RegistrationMode mode = RegistrationMode.WITHOUT_CA;
        private Optional<String> policyName = Optional.empty();
        private boolean createThing;
        private Optional<String> thingType = Optional.empty();
        private CertificateStatus certificateStatus = CertificateStatus.ACTIVE;
        private final Map<IotOperation, Double> quotas = new EnumMap<>(IotOperation.class);
        private Optional<ProvisioningTemplate> template = Optional.empty();
        private Optional<String> caCertificatePem = Optional.empty();
        private CaRegistrationSettings caRegistration = CaRegistrationSettings.none();
        private Optional<BulkSettings> bulk = Optional.empty();
        private boolean createThingGroups;
        private boolean createThingType;

        private Builder(String name, String region) {
            this.name = name;
            this.region = region;
        }

        public Builder accountId(String accountId) {
            this.accountId = Optional.of(accountId);
            return this;
        }

        public Builder credentials(TargetCredentials credentials) {
            this.credentials = credentials;
            return this;
        }

        public Builder endpoint(URI endpoint) {
            this.endpoint = Optional.of(endpoint);
            return this;
        }

        public Builder mode(RegistrationMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder policyName(String policyName) {
            this.policyName = Optional.of(policyName);
            return this;
        }

        public Builder createThing(boolean createThing) {
            this.createThing = createThing;
            return this;
        }

        public Builder thingType(String thingType) {
            this.thingType = Optional.of(thingType);
            return this;
        }

        public Builder certificateStatus(CertificateStatus status) {
            this.certificateStatus = status;
            return this;
        }

        public Builder quota(IotOperation operation, double perSecond) {
            quotas.put(operation, perSecond);
            return this;
        }

        /** Every operation's quota set to {@code perSecond} (emulators, raised accounts). */
        public Builder allQuotas(double perSecond) {
            for (IotOperation operation : IotOperation.values()) {
                quotas.put(operation, perSecond);
            }
            return this;
        }

        /**
         * @throws IllegalArgumentException naming keyline.targets.NAME.template when the body is not a template
         */
        public Builder templateBody(String body) {
            try {
                this.template = Optional.of(ProvisioningTemplate.parse(body));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("keyline.targets." + name + ".template: " + e.getMessage(), e);
            }
            return this;
        }

        public Builder caCertificatePem(String pem) {
            this.caCertificatePem = Optional.of(pem);
            return this;
        }

        /** How the device CA is to be registered in this target's account. */
        public Builder caRegistration(CaRegistrationSettings settings) {
            this.caRegistration = settings;
            return this;
        }

        /** Mode bulk-task: the bucket, role and task size. */
        public Builder bulk(BulkSettings settings) {
            this.bulk = Optional.of(settings);
            return this;
        }

        /** Whether missing thing groups are created (default: refused before the first device). */
        public Builder createThingGroups(boolean create) {
            this.createThingGroups = create;
            return this;
        }

        /** Whether a missing thing type is created (default: refused before the first device). */
        public Builder createThingType(boolean create) {
            this.createThingType = create;
            return this;
        }

        public RegistrationTarget build() {
            return new RegistrationTarget(name, region, accountId, credentials, endpoint, mode, policyName, createThing,
                    thingType, certificateStatus, quotas, template, caCertificatePem, caRegistration, bulk, createThingGroups,
                    createThingType);
        }
    }
}
