package dev.keyline.device;

import java.util.List;
import java.util.Set;

/** The manifest contract: the column (CSV) or key (JSON Lines) names Keyline understands. */
public final class ManifestColumns {

    public static final String DEVICE_ID = "device_id";
    public static final String COMMON_NAME = "common_name";
    public static final String COUNTRY = "country";
    public static final String STATE = "state";
    public static final String LOCALITY = "locality";
    public static final String ORGANIZATION = "organization";
    public static final String ORGANIZATIONAL_UNIT = "organizational_unit";
    public static final String SERIAL_NUMBER = "serial_number";
    public static final String DN_QUALIFIER = "dn_qualifier";
    public static final String SUBJECT = "subject";
    public static final String SAN_DNS = "san_dns";
    public static final String SAN_URI = "san_uri";
    public static final String SAN_IP = "san_ip";
    public static final String KEY = "key";
    public static final String CSR = "csr";
    public static final String THING_NAME = "thing_name";
    public static final String THING_TYPE = "thing_type";
    public static final String THING_GROUPS = "thing_groups";
    public static final String ATTRIBUTES = "attributes";
    public static final String ACCOUNTS = "accounts";

    /** In the order README documents them. */
    public static final List<String> ALL = List.of(DEVICE_ID, COMMON_NAME, COUNTRY, STATE, LOCALITY, ORGANIZATION,
            ORGANIZATIONAL_UNIT, SERIAL_NUMBER, DN_QUALIFIER, SUBJECT, SAN_DNS, SAN_URI, SAN_IP, KEY, CSR,
            THING_NAME, THING_TYPE, THING_GROUPS, ATTRIBUTES, ACCOUNTS);

    /** The single subject fields that {@link #SUBJECT} replaces. */
    public static final Set<String> SUBJECT_FIELDS = Set.of(COMMON_NAME, COUNTRY, STATE, LOCALITY, ORGANIZATION,
            ORGANIZATIONAL_UNIT, SERIAL_NUMBER, DN_QUALIFIER);

    private static final Set<String> KNOWN = Set.copyOf(ALL);

    private ManifestColumns() {
    }

    public static boolean isKnown(String name) {
        return KNOWN.contains(name);
    }

    /** "unknown column 'x': the known columns are a, b, ..." — the message for a name not in the contract. */
    public static String unknown(String kind, String name) {
        return "unknown " + kind + " '" + name + "': the known " + kind + "s are " + String.join(", ", ALL);
    }
}
