package dev.keyline.lint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.keyline.device.InvalidDeviceException;
import dev.keyline.device.ManifestColumns;
import dev.keyline.keys.UnknownKeyAlgorithmException;
import dev.keyline.x509.InvalidAltNameException;
import dev.keyline.x509.InvalidSubjectException;
import dev.keyline.x509.SubjectName;
import dev.keyline.x509.SubjectName.Attribute;
import dev.keyline.x509.SubjectRule;
import dev.keyline.x509.SubjectRules;

/**
 * Turns a row the manifest parser refused into a {@link Finding} with a code, the field and the value: the parser's
 * reason stays the message (it already names field, value and fix), and the rule that fired gives the code.
 * Stateless and thread-safe.
 */
public final class RowFindings {

    public static final String EMPTY = "subject.empty";
    public static final String CONTROL_CHARACTER = "subject.control-character";
    public static final String EMBEDDED_ATTRIBUTE = "subject.embedded-attribute";
    public static final String COUNTRY_CODE = "subject.country-code";
    public static final String PRINTABLE_STRING = "subject.printable-string";
    public static final String TOO_LONG = "subject.too-long";
    public static final String UNKNOWN_ATTRIBUTE = "subject.unknown-attribute";
    public static final String SYNTAX = "subject.syntax";
    public static final String GIT_BASH_DOUBLE_SLASH = "subject.git-bash-double-slash";
    public static final String ALT_NAME = "san.invalid";
    public static final String KEY = "key.unknown";
    public static final String ROW = "row.invalid";
    public static final String DUPLICATE = "row.duplicate";

    /** The x509 rules in the order {@link SubjectName} runs them, with the code each one reports. */
    private static final Map<SubjectRule, String> RULE_CODES = ruleCodes();

    private RowFindings() {
    }

    /** The finding for a refused row; {@code rawSubject} is the row's {@code subject} column, if it has one. */
    public static Finding of(InvalidDeviceException e, Optional<String> rawSubject) {
        Throwable cause = e.getCause();
        if (cause instanceof InvalidSubjectException s) {
            return subject(s, rawSubject);
        }
        if (cause instanceof InvalidAltNameException a) {
            return Finding.error(ALT_NAME, "san_" + a.nameType().toLowerCase(java.util.Locale.ROOT), a.value(),
                    whatOf(a.getMessage(), a.value()), fixOf(a.getMessage(), a.value()));
        }
        if (cause instanceof UnknownKeyAlgorithmException k) {
            return Finding.error(KEY, ManifestColumns.KEY, k.value(), k.getMessage(), "");
        }
        return Finding.error(ROW, null, null, e.reason(), "");
    }

    /** The Git Bash note for a subject written with a leading {@code //}, which Keyline reads as one {@code /}. */
    public static Optional<Finding> gitBashDoubleSlash(Optional<String> rawSubject) {
        return rawSubject.filter(RowFindings::startsWithDoubleSlash).map(s -> Finding.warning(GIT_BASH_DOUBLE_SLASH,
                ManifestColumns.SUBJECT, s, "subject \"" + s + "\" starts with `//`: that is the Git Bash (MSYS) workaround "
                        + "that stops Windows path conversion of a `/C=...` command-line argument; Keyline reads it as one `/`",
                "write a single `/` in the manifest; keep `//` only when typing -subj on Git Bash"));
    }

    private static Finding subject(InvalidSubjectException e, Optional<String> rawSubject) {
        String field = e.attributeName();
        String value = e.value();
        String code = SYNTAX;
        if (e.attribute().isPresent() && value != null) {
            Attribute attribute = new Attribute(e.attribute().get(), value);
            // The rule whose message this is; a syntax error can carry a whole-text "value" that some rule also dislikes.
            code = RULE_CODES.entrySet().stream()
                    .filter(r -> r.getKey().check(attribute).filter(e.getMessage()::equals).isPresent())
                    .map(Map.Entry::getValue).findFirst().orElse(SYNTAX);
        } else if (field != null && !field.isEmpty() && e.attribute().isEmpty() && value != null) {
            code = UNKNOWN_ATTRIBUTE;
        }
        Optional<SeparatorMistake> mistake = code.equals(EMBEDDED_ATTRIBUTE) ? SeparatorMistake.find(field, value)
                : Optional.empty();
        if (mistake.isPresent()) {
            return Finding.error(code, field, value, mistake.get().explanation(), embeddedFix(mistake.get(), rawSubject));
        }
        return Finding.error(code, field, value, whatOf(e.getMessage(), value), fixOf(e.getMessage(), value));
    }

    /** The code of the first x509 rule this attribute breaks, if any. */
    static Optional<String> codeOf(Attribute attribute) {
        return RULE_CODES.entrySet().stream().filter(r -> r.getKey().check(attribute).isPresent())
                .map(Map.Entry::getValue).findFirst();
    }

    private static String embeddedFix(SeparatorMistake m, Optional<String> rawSubject) {
        String corrected = m.correctedSlashForm();
        String fix = "separate the attributes: -subj \"" + corrected + "\" (RFC 4514: " + rfc4514(m) + ")";
        if (rawSubject.filter(RowFindings::startsWithDoubleSlash).isPresent()) {
            fix += "; on Git Bash keep the leading `//` (it only stops path conversion): -subj \"/" + corrected + "\"";
        }
        return fix;
    }

    private static String rfc4514(SeparatorMistake m) {
        List<String> parts = new ArrayList<>();
        parts.add(m.attribute() + "=" + m.kept());
        m.swallowed().forEach(s -> parts.add(s.type().shortName() + "=" + s.value()));
        java.util.Collections.reverse(parts);
        return String.join(",", parts);
    }

    private static boolean startsWithDoubleSlash(String s) {
        return s.stripLeading().startsWith("//");
    }

    /*
     * The x509 messages read "<field> "<value>" <problem>: <fix>". The split point is the last ": " after the value,
     * so a value that itself holds ": " does not cut the sentence short.
     */
    static String whatOf(String message, String value) {
        int split = splitPoint(message, value);
        return split < 0 ? message : message.substring(0, split);
    }

    static String fixOf(String message, String value) {
        int split = splitPoint(message, value);
        return split < 0 ? "" : message.substring(split + 2);
    }

    private static int splitPoint(String message, String value) {
        int from = 0;
        if (value != null && !value.isEmpty()) {
            int at = message.indexOf(value);
            from = at < 0 ? 0 : at + value.length();
        }
        int split = message.lastIndexOf(": ");
        return split >= from ? split : -1;
    }

    private static Map<SubjectRule, String> ruleCodes() {
        Map<SubjectRule, String> codes = new LinkedHashMap<>();
        codes.put(SubjectRules.NOT_EMPTY, EMPTY);
        codes.put(SubjectRules.NO_CONTROL_CHARACTERS, CONTROL_CHARACTER);
        codes.put(SubjectRules.NO_EMBEDDED_ATTRIBUTE, EMBEDDED_ATTRIBUTE);
        codes.put(SubjectRules.COUNTRY_CODE, COUNTRY_CODE);
        codes.put(SubjectRules.PRINTABLE_STRING, PRINTABLE_STRING);
        codes.put(SubjectRules.UPPER_BOUND, TOO_LONG);
        return codes;
    }
}
