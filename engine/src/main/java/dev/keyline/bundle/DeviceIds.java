package dev.keyline.bundle;

/**
 * The device id rule, checked by hand (no regex in the hot path): {@code [A-Za-z0-9:_-]{1,128}}.
 * Such an id is a single, safe path segment: no separator, no dot, so neither {@code ..} nor
 * {@code .staging} can be a device id.
 */
final class DeviceIds {

    static final int MAX_LENGTH = 128;

    private DeviceIds() {
    }

    static boolean isValid(String id) {
        if (id == null) {
            return false;
        }
        int n = id.length();
        if (n == 0 || n > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == ':' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static String requireValid(String id) {
        if (!isValid(id)) {
            throw new BundleWriteException(id,
                    "device id must match [A-Za-z0-9:_-]{1,128} (it names the bundle folder), got "
                            + (id == null ? "null" : id.isEmpty() ? "an empty id" : "a length-" + id.length() + " id"));
        }
        return id;
    }

    /** A printable, bounded rendering of an id for messages, whatever it holds. */
    static String quote(String id) {
        StringBuilder sb = new StringBuilder(Math.min(id.length(), 64) + 8).append('"');
        int n = Math.min(id.length(), 64);
        for (int i = 0; i < n; i++) {
            char c = id.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        if (id.length() > n) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }
}
