package dev.keyline.lint;

/**
 * A subject value the way AWS IoT passes it to a template: RFC 2253 escaping, with {@code =} escaped too. The one
 * observation on record (CloudTrail, issue 3) is CN {@code testThingC=US} shown as {@code testThingC\=US}; that is
 * what the JDK's {@code X500Principal.getName()} (RFC 2253) writes, so Keyline follows the JDK's rules: a backslash
 * before {@code , + " \ < > ; =}, before a leading {@code #} or space, and before a trailing space.
 */
public final class AwsEscaping {

    private static final String SPECIAL = ",+\"\\<>;=";

    private AwsEscaping() {
    }

    public static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 4);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean edgeSpace = c == ' ' && (i == 0 || i == value.length() - 1);
            if (SPECIAL.indexOf(c) >= 0 || edgeSpace || (i == 0 && c == '#')) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
