package dev.keyline.device;

import static dev.keyline.device.ManifestColumns.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.keyline.keys.KeyAlgorithm;
import dev.keyline.keys.UnknownKeyAlgorithmException;
import dev.keyline.x509.InvalidAltNameException;
import dev.keyline.x509.InvalidSubjectException;
import dev.keyline.x509.SubjectAltNames;
import dev.keyline.x509.SubjectName;
import dev.keyline.x509.SubjectName.AttributeType;

/**
 * Turns a raw manifest row into a {@link DeviceSpec}, or says precisely why it cannot be one. Stateless and
 * thread-safe. Whole-manifest rules (unique ids) are the scan's job, not this class's.
 */
public final class DeviceSpecParser {

    /** AWS IoT's thing-name pattern; device ids must fit it so a device id can be a thing name. */
    private static final Pattern THING_NAME = Pattern.compile("[A-Za-z0-9:_-]{1,128}");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9_.,@/:#-]{1,128}");
    private static final Pattern ATTRIBUTE_VALUE = Pattern.compile("[A-Za-z0-9_.,@/:#=\\[\\]-]{0,800}");

    private final boolean csrEnabled;

    /** @param csrEnabled whether rows may carry a device-made CSR (the CSR feature); if not, such rows are refused */
    public DeviceSpecParser(boolean csrEnabled) {
        this.csrEnabled = csrEnabled;
    }

    public DeviceSpec parse(ManifestRecord record) {
        String rawId = record.rawDeviceId();
        if (record.defect() != null) {
            throw new InvalidDeviceException(record.line(), rawId, record.defect());
        }
        Map<String, String> f = record.fields();
        String deviceId = deviceId(record.line(), rawId);
        Row row = new Row(record.line(), deviceId);

        if (f.containsKey(SUBJECT)) {
            List<String> mixed = SUBJECT_FIELDS.stream().filter(f::containsKey).sorted().toList();
            if (!mixed.isEmpty()) {
                throw row.reject("the row has both subject and " + String.join(", ", mixed)
                        + ": give the whole subject in one, or use only the single fields");
            }
        }
        SubjectName subject = row.guard(() -> subject(deviceId, f));
        SubjectAltNames altNames = row.guard(() -> new SubjectAltNames(list(f.get(SAN_DNS)), list(f.get(SAN_URI)),
                list(f.get(SAN_IP))));
        Optional<KeyAlgorithm> key = Optional.ofNullable(f.get(KEY)).map(id -> row.guard(() -> KeyAlgorithm.fromId(id)));
        Optional<String> csr = Optional.ofNullable(f.get(CSR));
        if (csr.isPresent() && !csrEnabled) {
            throw row.reject("CSR input is not enabled: this row carries a csr, but Keyline does not accept "
                    + "device-made CSRs yet; remove the csr column or leave it empty to have Keyline make the key");
        }
        if (csr.isPresent() && key.isPresent()) {
            throw row.reject("the row has both csr and key: with a CSR the device made the key, so leave key empty");
        }
        String thingName = f.getOrDefault(THING_NAME_COLUMN, deviceId);
        row.pattern(ManifestColumns.THING_NAME, thingName, THING_NAME);
        Optional<String> thingType = Optional.ofNullable(f.get(THING_TYPE));
        thingType.ifPresent(t -> row.pattern(THING_TYPE, t, THING_NAME));
        List<String> groups = list(f.get(THING_GROUPS));
        groups.forEach(g -> row.pattern(THING_GROUPS, g, THING_NAME));
        Map<String, String> attributes = attributes(row, f.get(ATTRIBUTES));
        List<String> accounts = list(f.get(ACCOUNTS));
        accounts.forEach(a -> row.pattern(ACCOUNTS, a, THING_NAME));
        return new DeviceSpec(record.index(), record.line(), deviceId, subject, altNames, key, csr, thingName,
                thingType, groups, attributes, accounts);
    }

    private static final String THING_NAME_COLUMN = ManifestColumns.THING_NAME;

    private static String deviceId(long line, String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidDeviceException(line, null, "device_id is missing; every row needs one");
        }
        if (raw.length() > 128) {
            throw new InvalidDeviceException(line, raw.substring(0, 32) + "…",
                    "device_id is " + raw.length() + " characters long; the limit is 128 (an AWS IoT thing name)");
        }
        if (!THING_NAME.matcher(raw).matches()) {
            int bad = firstOutside(raw);
            throw new InvalidDeviceException(line, raw, "device_id '" + raw + "' has " + describe(raw.codePointAt(bad))
                    + " at position " + (bad + 1) + "; use only letters, digits, ':', '_' and '-' (AWS IoT thing names)");
        }
        return raw;
    }

    private static SubjectName subject(String deviceId, Map<String, String> f) {
        String whole = f.get(SUBJECT);
        if (whole != null) {
            return SubjectName.parse(whole);
        }
        SubjectName.Builder b = SubjectName.builder();
        // X.500 order, most significant first, the way the slash form reads.
        add(b, AttributeType.C, f.get(COUNTRY));
        add(b, AttributeType.ST, f.get(STATE));
        add(b, AttributeType.L, f.get(LOCALITY));
        add(b, AttributeType.O, f.get(ORGANIZATION));
        add(b, AttributeType.OU, f.get(ORGANIZATIONAL_UNIT));
        add(b, AttributeType.DN_QUALIFIER, f.get(DN_QUALIFIER));
        add(b, AttributeType.SERIAL_NUMBER, f.get(SERIAL_NUMBER));
        add(b, AttributeType.CN, f.getOrDefault(COMMON_NAME, deviceId));
        return b.build();
    }

    private static void add(SubjectName.Builder b, AttributeType type, String value) {
        if (value != null) {
            b.add(type, value);
        }
    }

    private static Map<String, String> attributes(Row row, String raw) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String pair : list(raw)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw row.reject("attributes entry '" + pair + "' is not name=value; write attributes as k=v;k=v");
            }
            String name = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                throw row.reject("attribute name '" + name + "' is not allowed by AWS IoT: use 1-128 of A-Z a-z 0-9 _ . , @ / : # -");
            }
            if (!ATTRIBUTE_VALUE.matcher(value).matches()) {
                throw row.reject("attribute '" + name + "' value '" + value
                        + "' is not allowed by AWS IoT: use up to 800 of A-Z a-z 0-9 _ . , @ / : # = [ ] -");
            }
            if (attributes.put(name, value) != null) {
                throw row.reject("attribute '" + name + "' is given twice");
            }
        }
        return attributes;
    }

    /** A ';'-separated list; empty items are dropped so a trailing ';' is harmless. */
    static List<String> list(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String item : raw.split(";")) {
            String s = item.strip();
            if (!s.isEmpty()) {
                items.add(s);
            }
        }
        return List.copyOf(items);
    }

    private static int firstOutside(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == ':' || c == '_' || c == '-';
            if (!ok) {
                return i;
            }
        }
        return 0;
    }

    private static String describe(int codePoint) {
        if (codePoint == ' ') {
            return "a space";
        }
        if (Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)) {
            return String.format("the control character U+%04X", codePoint);
        }
        return "'" + new String(Character.toChars(codePoint)) + "'";
    }

    /** Wraps the value objects' own exceptions into a rejection for this row. */
    private record Row(long line, String deviceId) {

        <T> T guard(java.util.function.Supplier<T> step) {
            try {
                return step.get();
            } catch (InvalidSubjectException | InvalidAltNameException | UnknownKeyAlgorithmException e) {
                throw new InvalidDeviceException(line, deviceId, e.getMessage(), e);
            }
        }

        void pattern(String column, String value, Pattern pattern) {
            if (!pattern.matcher(value).matches()) {
                throw reject(column + " '" + value + "' is not allowed by AWS IoT: use 1-128 of letters, digits, ':', '_' and '-'");
            }
        }

        InvalidDeviceException reject(String reason) {
            return new InvalidDeviceException(line, deviceId, reason);
        }
    }
}
