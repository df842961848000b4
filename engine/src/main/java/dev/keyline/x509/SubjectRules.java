package dev.keyline.x509;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.keyline.x509.SubjectName.Attribute;
import dev.keyline.x509.SubjectName.AttributeType;

/**
 * The rules every subject attribute must pass. They run in list order and the first failure wins, so
 * the most helpful message (e.g. "USA: use US") comes before a generic one ("longer than 2").
 */
public final class SubjectRules {

    /** Refuses empty values. */
    public static final SubjectRule NOT_EMPTY = a -> a.value().isEmpty()
            ? Optional.of(a.type().shortName() + " is empty: give it a value or leave the attribute out")
            : Optional.empty();

    /** Refuses control characters (line breaks, tabs, NUL, DEL): they break logs, CSV and many parsers. */
    public static final SubjectRule NO_CONTROL_CHARACTERS = a -> a.value().codePoints()
            .filter(Character::isISOControl).boxed().findFirst()
            .map(cp -> a.type().shortName() + " " + quote(a.value()) + " contains the control character "
                    + String.format("U+%04X", cp) + ": remove it");

    /** Refuses values that contain another attribute, the trace of a separator mistake. */
    public static final SubjectRule NO_EMBEDDED_ATTRIBUTE = SubjectRules::embeddedAttribute;

    /** C is an ISO 3166-1 alpha-2 code in capitals. */
    public static final SubjectRule COUNTRY_CODE = SubjectRules::countryCode;

    /** C, serialNumber and dnQualifier are encoded as PrintableString, so only its characters fit. */
    public static final SubjectRule PRINTABLE_STRING = SubjectRules::printable;

    /** The upper bounds of RFC 5280 appendix A, counted in Unicode code points. */
    public static final SubjectRule UPPER_BOUND = a -> {
        int length = a.value().codePointCount(0, a.value().length());
        return length > a.type().maxLength()
                ? Optional.of(a.type().shortName() + " " + quote(a.value()) + " is " + length
                        + " characters long; RFC 5280 allows at most " + a.type().maxLength() + ": shorten it")
                : Optional.empty();
    };

    /** The rules {@link SubjectName} enforces, in the order they run. */
    public static final List<SubjectRule> DEFAULT = List.of(
            NOT_EMPTY, NO_CONTROL_CHARACTERS, NO_EMBEDDED_ATTRIBUTE, COUNTRY_CODE, PRINTABLE_STRING, UPPER_BOUND);

    private static final Set<String> ALPHA2 = Set.of(Locale.getISOCountries());
    private static final Map<String, String> ALPHA3_TO_ALPHA2 = alpha3Map();
    private static final String PRINTABLE_EXTRA = " '()+,-./:=?";

    private SubjectRules() {
    }

    /** Runs the rules on one attribute and throws the first failure. */
    static void enforce(List<SubjectRule> rules, Attribute attribute) {
        for (SubjectRule rule : rules) {
            Optional<String> problem = rule.check(attribute);
            if (problem.isPresent()) {
                throw new InvalidSubjectException(problem.get(), attribute.type().shortName(), attribute.value());
            }
        }
    }

    /** True for the characters of ASN.1 PrintableString. */
    public static boolean isPrintableStringChar(int cp) {
        return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')
                || (cp < 128 && PRINTABLE_EXTRA.indexOf(cp) >= 0);
    }

    private static Optional<String> printable(Attribute a) {
        if (!a.type().isPrintableString()) {
            return Optional.empty();
        }
        return a.value().codePoints().filter(cp -> !isPrintableStringChar(cp)).boxed().findFirst()
                .map(cp -> a.type().shortName() + " " + quote(a.value()) + " contains " + quote(Character.toString(cp))
                        + ", which a PrintableString cannot hold (it allows A-Z a-z 0-9, space and "
                        + "' ( ) + , - . / : = ?): remove or replace that character");
    }

    private static Optional<String> countryCode(Attribute a) {
        if (a.type() != AttributeType.C || a.value().isEmpty()) {
            return Optional.empty();
        }
        String v = a.value();
        if (ALPHA2.contains(v)) {
            return Optional.empty();
        }
        String upper = v.strip().toUpperCase(Locale.ROOT);
        String what = "C " + quote(v) + " ";
        if (ALPHA2.contains(upper)) {
            return Optional.of(what + "must be an ISO 3166-1 alpha-2 code in capitals: write C=" + upper);
        }
        String alpha2 = ALPHA3_TO_ALPHA2.get(upper);
        if (alpha2 != null) {
            return Optional.of(what + "is a three-letter (alpha-3) code; C takes the two-letter ISO 3166-1 "
                    + "alpha-2 code: write C=" + alpha2);
        }
        return Optional.of(what + "is not an ISO 3166-1 alpha-2 country code: use a two-letter code in capitals "
                + "such as US, DE or JP");
    }

    private static Optional<String> embeddedAttribute(Attribute a) {
        String v = a.value();
        List<Integer> starts = new ArrayList<>();
        for (int eq = v.indexOf('='); eq > 0; eq = v.indexOf('=', eq + 1)) {
            if (eq + 1 >= v.length()) {
                continue;
            }
            int longest = 0;
            for (AttributeType t : AttributeType.values()) {
                String n = t.shortName();
                if (n.length() > longest && n.length() <= eq && v.regionMatches(true, eq - n.length(), n, 0, n.length())) {
                    longest = n.length();
                }
            }
            if (longest > 0) {
                starts.add(eq - longest);
            }
        }
        if (starts.isEmpty()) {
            return Optional.empty();
        }
        String name = a.type().shortName();
        int first = starts.get(0);
        String embedded = v.substring(first, starts.size() > 1 ? starts.get(1) : v.length());
        StringBuilder asTyped = new StringBuilder("/").append(name).append('=').append(v, 0, first);
        StringBuilder corrected = new StringBuilder("/").append(name).append('=').append(v, 0, first);
        for (int i = 0; i < starts.size(); i++) {
            String piece = v.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : v.length());
            asTyped.append('\\').append(piece);
            corrected.append('/').append(piece);
        }
        return Optional.of(name + " " + quote(v) + " contains `" + embedded + "`: OpenSSL's -subj separates "
                + "attributes with `/`; a `\\` escapes the next character, so `" + asTyped + "` became one " + name
                + ". Write -subj \"" + corrected + "\" (or, in RFC 4514 form, separate attributes with `,`)");
    }

    private static Map<String, String> alpha3Map() {
        Map<String, String> map = new HashMap<>();
        for (String alpha2 : Locale.getISOCountries()) {
            try {
                map.put(new Locale("", alpha2).getISO3Country(), alpha2);
            } catch (MissingResourceException ignored) {
                // a code without an alpha-3 form: nothing to suggest
            }
        }
        return Map.copyOf(map);
    }

    static String quote(String value) {
        return "\"" + value + "\"";
    }

    static String knownNames() {
        return Arrays.stream(AttributeType.values()).map(AttributeType::shortName).collect(Collectors.joining(", "));
    }
}
