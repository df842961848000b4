package dev.keyline.aws;

/**
 * The AWS IoT control-plane operations Keyline calls, each with the default quota (calls per second) an AWS account
 * starts with (registration, and taking a registration back: {@code keyline deregister}). The values of the first eight (and AddThingToThingGroup) come from {@code shared/reference/aws-iot.md} §2, which marks the
 * table as unconfirmed; the two read operations are not in that table and get a conservative 100/s. Accounts raise
 * quotas, so every target can override them ({@link RegistrationTarget#quotas()}).
 */
public enum IotOperation {
    REGISTER_CERTIFICATE("RegisterCertificate", 10),
    REGISTER_CERTIFICATE_WITHOUT_CA("RegisterCertificateWithoutCA", 10),
    REGISTER_CA_CERTIFICATE("RegisterCACertificate", 10),
    REGISTER_THING("RegisterThing", 10),
    ATTACH_POLICY("AttachPolicy", 15),
    CREATE_THING("CreateThing", 100),
    ATTACH_THING_PRINCIPAL("AttachThingPrincipal", 100),
    /** Read: used to check a thing is not bound to another certificate, and to explain a thing conflict. */
    LIST_THING_PRINCIPALS("ListThingPrincipals", 100),
    DESCRIBE_THING("DescribeThing", 100),
    /** Mode bulk-task: one call per task (the quota is UNCONFIRMED; one task per account runs at a time anyway). */
    START_THING_REGISTRATION_TASK("StartThingRegistrationTask", 10),
    /** Per device and group; 100/s is thingpress's list of defaults (aws-iot.md §2). */
    ADD_THING_TO_THING_GROUP("AddThingToThingGroup", 100),
    /**
     * Once per target and name, before the first device: reads get the conservative 100/s, creations 10/s (both
     * UNCONFIRMED; at a handful of calls per registration the quota hardly matters).
     */
    DESCRIBE_THING_GROUP("DescribeThingGroup", 100),
    CREATE_THING_GROUP("CreateThingGroup", 10),
    DESCRIBE_THING_TYPE("DescribeThingType", 100),
    CREATE_THING_TYPE("CreateThingType", 10),
    /*
     * keyline deregister. The quotas are UNCONFIRMED (AWS's table was not reachable; aws-iot.md §2 lists none of
     * these): the certificate operations get the 10/s of the other certificate calls, DetachPolicy the 15/s of
     * AttachPolicy, the thing operations the 100/s of CreateThing and AttachThingPrincipal. Targets override them.
     */
    UPDATE_CERTIFICATE("UpdateCertificate", 10),
    /** Read: only when UpdateCertificate refuses a status, to tell a certificate revoked already. */
    DESCRIBE_CERTIFICATE("DescribeCertificate", 100),
    /** Read: the policies attached to a certificate being deregistered, so each is detached. */
    LIST_ATTACHED_POLICIES("ListAttachedPolicies", 100),
    DETACH_POLICY("DetachPolicy", 15),
    DETACH_THING_PRINCIPAL("DetachThingPrincipal", 100),
    DELETE_CERTIFICATE("DeleteCertificate", 10),
    DELETE_THING("DeleteThing", 100);

    private final String awsName;
    private final double defaultQuota;

    IotOperation(String awsName, double defaultQuota) {
        this.awsName = awsName;
        this.defaultQuota = defaultQuota;
    }

    /** The operation's name in the AWS API and in configuration keys ({@code quotas.RegisterThing}). */
    public String awsName() {
        return awsName;
    }

    /** AWS IoT's default quota for a new account, in calls per second. */
    public double defaultQuota() {
        return defaultQuota;
    }

    /**
     * The operation with that AWS name.
     *
     * @throws IllegalArgumentException naming the known operations
     */
    public static IotOperation ofAwsName(String name) {
        for (IotOperation operation : values()) {
            if (operation.awsName.equals(name)) {
                return operation;
            }
        }
        StringBuilder known = new StringBuilder();
        for (IotOperation operation : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(operation.awsName);
        }
        throw new IllegalArgumentException("unknown AWS IoT operation \"" + name + "\": use one of " + known);
    }
}
