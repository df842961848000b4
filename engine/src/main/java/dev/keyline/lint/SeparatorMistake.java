package dev.keyline.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.keyline.x509.SubjectName.AttributeType;

/**
 * A subject value that swallowed other attributes, e.g. CN {@code testThingC=US}: OpenSSL's {@code -subj} separates
 * attributes with {@code /} and a {@code \} escapes the next character, so {@code -subj "/CN=testThing\C=US"} (or a
 * shell that ate the backslash) makes one CN. This finds the swallowed attributes so they can be shown and put back.
 *
 * <p>Detection matches {@link dev.keyline.x509.SubjectRules#NO_EMBEDDED_ATTRIBUTE}: a known attribute name
 * (any case, the longest that fits) directly before an {@code =} that has something after it.
 *
 * @param attribute the attribute that holds the mistake, as its RFC 4514 name (e.g. {@code CN})
 * @param value     its whole value as encoded
 * @param kept      the part of the value before the first swallowed attribute (what was meant for {@code attribute})
 * @param swallowed the attributes found inside the value, in order
 */
public record SeparatorMistake(String attribute, String value, String kept, List<Swallowed> swallowed) {

    /** One attribute found inside another's value. */
    public record Swallowed(AttributeType type, String writtenName, String value) {

        /** {@code C=US}, as written in the value. */
        public String asWritten() {
            return writtenName + "=" + value;
        }
    }

    public SeparatorMistake {
        swallowed = List.copyOf(swallowed);
    }

    /** The mistake in this value, if it holds any known attribute. */
    public static Optional<SeparatorMistake> find(String attribute, String value) {
        List<Integer> starts = new ArrayList<>();
        List<AttributeType> types = new ArrayList<>();
        for (int eq = value.indexOf('='); eq > 0; eq = value.indexOf('=', eq + 1)) {
            if (eq + 1 >= value.length()) {
                continue;
            }
            AttributeType longest = null;
            for (AttributeType t : AttributeType.values()) {
                String n = t.shortName();
                if ((longest == null || n.length() > longest.shortName().length()) && n.length() <= eq
                        && value.regionMatches(true, eq - n.length(), n, 0, n.length())) {
                    longest = t;
                }
            }
            if (longest != null) {
                starts.add(eq - longest.shortName().length());
                types.add(longest);
            }
        }
        if (starts.isEmpty()) {
            return Optional.empty();
        }
        List<Swallowed> swallowed = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            int start = starts.get(i);
            int nameEnd = start + types.get(i).shortName().length();
            int end = i + 1 < starts.size() ? starts.get(i + 1) : value.length();
            swallowed.add(new Swallowed(types.get(i), value.substring(start, nameEnd), value.substring(nameEnd + 1, end)));
        }
        return Optional.of(new SeparatorMistake(attribute, value, value.substring(0, starts.get(0)), swallowed));
    }

    /** The value of the first swallowed attribute of this type, e.g. {@code US} for C. */
    public Optional<String> swallowedValue(AttributeType type) {
        return swallowed.stream().filter(s -> s.type() == type).map(Swallowed::value).findFirst();
    }

    /** {@code CN contains `C=US`: OpenSSL's -subj separates with `/`; a `\` escapes the next character}. */
    public String explanation() {
        StringBuilder found = new StringBuilder();
        for (Swallowed s : swallowed) {
            found.append(found.length() == 0 ? "" : ", ").append('`').append(s.asWritten()).append('`');
        }
        return attribute + " contains " + found + ": OpenSSL's -subj separates with `/`; a `\\` escapes the next "
                + "character, so `/" + attribute + "=" + kept + "\\" + swallowed.get(0).asWritten()
                + "` (or the same line after a shell ate the `\\`) made one " + attribute + " \"" + value + "\"";
    }

    /** The OpenSSL -subj slash form of one attribute, escaping what -subj would otherwise read as syntax. */
    static String slash(String name, String value) {
        StringBuilder out = new StringBuilder("/").append(name).append('=');
        for (char c : value.toCharArray()) {
            if (c == '/' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    /** This attribute as it was meant: itself with the kept part, then each swallowed attribute on its own. */
    public String correctedSlashForm() {
        StringBuilder out = new StringBuilder(slash(attribute, kept));
        swallowed.forEach(s -> out.append(slash(s.type().shortName(), s.value())));
        return out.toString();
    }
}
