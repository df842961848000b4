package dev.keyline.x509;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * A certificate subject: an ordered list of attributes, validated when it is made.
 *
 * <p><b>Order.</b> Attributes are kept in X.500 order, most significant first: the order of OpenSSL's
 * {@code -subj "/C=US/O=Acme/CN=dev-1"} and of the DER encoding. RFC 4514 strings list the most
 * significant RDN <em>last</em> ({@code CN=dev-1,O=Acme,C=US}); {@link #parse} reverses them, so both
 * spellings of a name give equal values, and {@link #toString()} writes RFC 4514 again.
 *
 * <p><b>Syntax.</b> {@link #parse} takes either form: text starting with {@code /} is OpenSSL's
 * {@code -subj} form ({@code \} escapes the next character, e.g. {@code \/}; a leading {@code //}, the
 * Git Bash path-conversion workaround, is accepted; {@code +} is an ordinary character as in OpenSSL
 * without {@code -multivalue-rdn}); anything else is RFC 4514 ({@code \,} {@code \+} {@code \"}
 * {@code \\} {@code \<} {@code \>} {@code \;} {@code \=} {@code \#} {@code \ } and {@code \XX} hex pairs
 * of UTF-8). Multi-valued RDNs are refused: device subjects do not need them and many verifiers
 * mishandle them.
 *
 * <p><b>Encoding.</b> C, serialNumber and dnQualifier as PrintableString, everything else UTF8String
 * (RFC 5280's recommendation), chosen here and not left to a library default.
 *
 * <p>Immutable and thread-safe.
 */
public final class SubjectName {

    /** The attributes Keyline accepts in a subject, with their OIDs, RFC 4514 names and RFC 5280 bounds. */
    public enum AttributeType {
        CN("CN", "2.5.4.3", 64, false),
        C("C", "2.5.4.6", 2, true),
        ST("ST", "2.5.4.8", 128, false),
        L("L", "2.5.4.7", 128, false),
        O("O", "2.5.4.10", 64, false),
        OU("OU", "2.5.4.11", 64, false),
        SERIAL_NUMBER("serialNumber", "2.5.4.5", 64, true),
        DN_QUALIFIER("dnQualifier", "2.5.4.46", 64, true);

        private final String shortName;
        private final ASN1ObjectIdentifier oid;
        private final int maxLength;
        private final boolean printableString;

        AttributeType(String shortName, String oid, int maxLength, boolean printableString) {
            this.shortName = shortName;
            this.oid = new ASN1ObjectIdentifier(oid).intern();
            this.maxLength = maxLength;
            this.printableString = printableString;
        }

        /** The RFC 4514 name, e.g. {@code CN} or {@code serialNumber}. */
        public String shortName() {
            return shortName;
        }

        public ASN1ObjectIdentifier oid() {
            return oid;
        }

        /** The RFC 5280 upper bound, in characters. */
        public int maxLength() {
            return maxLength;
        }

        /** True when the value is encoded as PrintableString (else UTF8String). */
        public boolean isPrintableString() {
            return printableString;
        }

        /** The type with this RFC 4514 name (any case) or dotted OID. */
        public static Optional<AttributeType> fromName(String name) {
            if (name == null) {
                return Optional.empty();
            }
            String n = name.strip();
            for (AttributeType t : values()) {
                if (t.shortName.equalsIgnoreCase(n) || t.oid.getId().equals(n)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }

        /**
         * The type with this name.
         *
         * @throws InvalidSubjectException for an unknown name, listing the known ones (and explaining {@code SN})
         */
        public static AttributeType parseName(String name, String value) {
            return fromName(name).orElseThrow(() -> {
                String n = name == null ? "" : name.strip();
                if (n.equalsIgnoreCase("SN") || n.equals("2.5.4.4")) {
                    return new InvalidSubjectException("SN is the surname (2.5.4.4) in OpenSSL and RFC 4514, not a "
                            + "serial number: write serialNumber=" + value + " for a device serial number", n, value);
                }
                if (n.isEmpty()) {
                    return new InvalidSubjectException("an attribute has no name before `=` (value \"" + value
                            + "\"): write NAME=value with one of " + SubjectRules.knownNames(), n, value);
                }
                return new InvalidSubjectException("unknown subject attribute \"" + n + "\" (value \"" + value
                        + "\"): use one of " + SubjectRules.knownNames(), n, value);
            });
        }
    }

    /** One attribute; its value is checked when a {@link SubjectName} is made from it. */
    public record Attribute(AttributeType type, String value) {
        public Attribute {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
        }
    }

    /** The empty subject (allowed when the certificate carries a critical subjectAltName). */
    public static final SubjectName EMPTY = new SubjectName(List.of());

    private static final List<AttributeType> CONVENTIONAL_ORDER = List.of(AttributeType.C, AttributeType.ST,
            AttributeType.L, AttributeType.O, AttributeType.OU, AttributeType.CN, AttributeType.SERIAL_NUMBER,
            AttributeType.DN_QUALIFIER);

    private final List<Attribute> attributes;
    private final X500Name x500Name;

    private SubjectName(List<Attribute> attributes) {
        this(attributes, SubjectRules.DEFAULT);
    }

    private SubjectName(List<Attribute> attributes, List<SubjectRule> rules) {
        this.attributes = List.copyOf(attributes);
        RDN[] rdns = new RDN[this.attributes.size()];
        for (int i = 0; i < rdns.length; i++) {
            Attribute a = this.attributes.get(i);
            SubjectRules.enforce(rules, a);
            ASN1Encodable value = a.type().isPrintableString()
                    ? new DERPrintableString(a.value(), true) : new DERUTF8String(a.value());
            rdns[i] = new RDN(new AttributeTypeAndValue(a.type().oid(), value));
        }
        this.x500Name = new X500Name(rdns);
    }

    /**
     * A subject from attributes in X.500 order (most significant first), as given.
     *
     * @throws InvalidSubjectException when an attribute breaks a rule of {@link SubjectRules#DEFAULT}
     */
    public static SubjectName of(List<Attribute> attributes) {
        return attributes.isEmpty() ? EMPTY : new SubjectName(attributes);
    }

    /**
     * A subject of one CN whose value is data, not a name a person typed (a verification certificate's registration
     * code): every rule applies except {@link SubjectRules#NO_EMBEDDED_ATTRIBUTE}, which catches separator mistakes in
     * typed subjects; here {@code CN=x,O=y} is simply the value.
     *
     * @throws InvalidSubjectException when the value breaks another rule (empty, control characters, too long)
     */
    public static SubjectName commonNameValue(String value) {
        return new SubjectName(List.of(new Attribute(AttributeType.CN, value)), SubjectRules.DEFAULT.stream()
                .filter(rule -> rule != SubjectRules.NO_EMBEDDED_ATTRIBUTE).toList());
    }

    /**
     * Parses OpenSSL's {@code -subj} form (starts with {@code /}) or RFC 4514.
     *
     * @throws InvalidSubjectException naming the attribute, the value and the fix
     */
    public static SubjectName parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.stripLeading();
        if (s.isBlank()) {
            throw new InvalidSubjectException("the subject is empty: write e.g. \"/C=US/O=Acme/CN=device-1\" "
                    + "(OpenSSL form) or \"CN=device-1,O=Acme,C=US\" (RFC 4514)", null, text);
        }
        return of(s.startsWith("/") ? SubjectNameParser.parseSlash(s) : reversed(SubjectNameParser.parseRfc4514(s)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The attributes in X.500 order (most significant first). */
    public List<Attribute> attributes() {
        return attributes;
    }

    public boolean isEmpty() {
        return attributes.isEmpty();
    }

    /** The first (most significant) value of this type. */
    public Optional<String> get(AttributeType type) {
        for (Attribute a : attributes) {
            if (a.type() == type) {
                return Optional.of(a.value());
            }
        }
        return Optional.empty();
    }

    /** Every value of this type, most significant first. */
    public List<String> getAll(AttributeType type) {
        return attributes.stream().filter(a -> a.type() == type).map(Attribute::value).toList();
    }

    /** The DER-ready name; C, serialNumber and dnQualifier as PrintableString, the rest UTF8String. */
    public X500Name toX500Name() {
        return x500Name;
    }

    /** OpenSSL's {@code -subj} form, e.g. {@code /C=US/O=Acme/CN=dev-1}. */
    public String toOpenSslString() {
        StringBuilder out = new StringBuilder();
        for (Attribute a : attributes) {
            out.append('/').append(a.type().shortName()).append('=');
            for (char c : a.value().toCharArray()) {
                if (c == '/' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** RFC 4514, most significant RDN last, e.g. {@code CN=dev-1,O=Acme,C=US}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = attributes.size() - 1; i >= 0; i--) {
            Attribute a = attributes.get(i);
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(a.type().shortName()).append('=').append(SubjectNameParser.escapeRfc4514(a.value()));
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubjectName other && attributes.equals(other.attributes);
    }

    @Override
    public int hashCode() {
        return attributes.hashCode();
    }

    private static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    /**
     * Builds a subject from single fields (a manifest's columns). {@link #build()} puts the attributes in
     * the conventional order C, ST, L, O, OU, CN, serialNumber, dnQualifier whatever order they were added
     * in, keeping the order among repeats of one type. Not thread-safe.
     */
    public static final class Builder {

        private final List<Attribute> attributes = new ArrayList<>();

        private Builder() {
        }

        public Builder add(AttributeType type, String value) {
            attributes.add(new Attribute(type, value));
            return this;
        }

        /** Adds an attribute by its RFC 4514 name (any case). */
        public Builder add(String name, String value) {
            return add(AttributeType.parseName(name, value), value);
        }

        /**
         * @throws InvalidSubjectException when an attribute breaks a rule
         */
        public SubjectName build() {
            List<Attribute> sorted = new ArrayList<>(attributes);
            sorted.sort(Comparator.comparingInt(a -> CONVENTIONAL_ORDER.indexOf(a.type())));
            return of(sorted);
        }
    }

    /** The two syntaxes' parsers and RFC 4514 escaping. */
    static final class SubjectNameParser {

        private static final String RFC4514_SPECIAL = ",+\"\\<>;=# ";

        private SubjectNameParser() {
        }

        static List<Attribute> parseSlash(String input) {
            String s = input.startsWith("//") ? input.substring(1) : input;
            List<Attribute> out = new ArrayList<>();
            StringBuilder name = new StringBuilder();
            StringBuilder value = new StringBuilder();
            boolean inValue = false;
            for (int i = 1; i <= s.length(); i++) {
                char c = i < s.length() ? s.charAt(i) : '/';
                if (i == s.length() || (c == '/')) {
                    if (!inValue) {
                        String part = name.toString();
                        if (part.isEmpty()) {
                            String where = i == s.length() ? "ends with `/`: remove it" : "has an empty attribute (`//`): remove one `/`";
                            throw new InvalidSubjectException("the subject " + SubjectRules.quote(input) + " " + where, null, input);
                        }
                        throw new InvalidSubjectException("`/" + part + "` in " + SubjectRules.quote(input)
                                + " has no `=`: write /NAME=value, e.g. /CN=device-1", part, null);
                    }
                    String v = value.toString();
                    out.add(new Attribute(AttributeType.parseName(name.toString(), v), v));
                    name.setLength(0);
                    value.setLength(0);
                    inValue = false;
                } else if (c == '\\') {
                    if (i + 1 >= s.length()) {
                        throw new InvalidSubjectException("the subject " + SubjectRules.quote(input)
                                + " ends with a lone `\\`: remove it, or write `\\\\` for a backslash", null, input);
                    }
                    (inValue ? value : name).append(s.charAt(++i));
                } else if (c == '=' && !inValue) {
                    inValue = true;
                } else {
                    (inValue ? value : name).append(c);
                }
            }
            return out;
        }

        static List<Attribute> parseRfc4514(String s) {
            List<Attribute> out = new ArrayList<>();
            int i = 0;
            int n = s.length();
            while (i < n) {
                int eq = s.indexOf('=', i);
                int comma = s.indexOf(',', i);
                if (eq < 0 || (comma >= 0 && comma < eq)) {
                    String part = s.substring(i, comma < 0 ? n : comma).strip();
                    throw new InvalidSubjectException("`" + part + "` in " + SubjectRules.quote(s)
                            + " has no `=`: write NAME=value pairs separated by `,`, e.g. CN=device-1,O=Acme,C=US",
                            part, null);
                }
                String typeName = s.substring(i, eq).strip();
                i = eq + 1;
                while (i < n && s.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && s.charAt(i) == '#') {
                    throw new InvalidSubjectException(typeName + " is given as `#` hex-encoded BER in " + SubjectRules.quote(s)
                            + ": Keyline needs the text; write the value, or `\\#` for a leading #", typeName, s.substring(i));
                }
                StringBuilder value = new StringBuilder();
                ByteArrayOutputStream hex = new ByteArrayOutputStream();
                int significant = 0;
                for (; i < n; i++) {
                    char c = s.charAt(i);
                    if (c == '\\' && i + 2 < n && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                        hex.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                        continue;
                    }
                    if (flushHex(hex, value, typeName, s)) {
                        significant = value.length();
                    }
                    if (c == '\\') {
                        if (i + 1 >= n) {
                            throw new InvalidSubjectException("the subject " + SubjectRules.quote(s)
                                    + " ends with a lone `\\`: remove it, or write `\\\\` for a backslash", typeName, s);
                        }
                        char next = s.charAt(++i);
                        if (RFC4514_SPECIAL.indexOf(next) < 0) {
                            throw new InvalidSubjectException("`\\" + next + "` in " + typeName + " is not an RFC 4514 escape "
                                    + "(those are \\, \\+ \\\" \\\\ \\< \\> \\; \\= \\# \\space and \\XX hex): write `" + next
                                    + "` alone, or use the OpenSSL form /" + typeName + "=... where `\\` escapes any character",
                                    typeName, s);
                        }
                        value.append(next);
                        significant = value.length(); // escaped spaces are kept, even at the end
                        continue;
                    }
                    if (c == ',') {
                        break;
                    }
                    if (c == '+') {
                        throw new InvalidSubjectException("multi-valued RDNs (an unescaped `+` in " + typeName + " of "
                                + SubjectRules.quote(s) + ") are not supported: write `\\+` for a plus sign, or `,` "
                                + "between attributes", typeName, s);
                    }
                    if (c == '"' || c == ';' || c == '<' || c == '>') {
                        throw new InvalidSubjectException("`" + c + "` in " + typeName + " of " + SubjectRules.quote(s)
                                + " must be escaped in RFC 4514: write `\\" + c + "`"
                                + (c == ';' ? " (and `,` between attributes)" : ""), typeName, s);
                    }
                    value.append(c);
                    if (c != ' ') {
                        significant = value.length(); // unescaped trailing spaces are dropped
                    }
                }
                if (flushHex(hex, value, typeName, s)) {
                    significant = value.length();
                }
                value.setLength(significant);
                String v = value.toString();
                out.add(new Attribute(AttributeType.parseName(typeName, v), v));
                i++; // past the comma
                if (i == n && s.charAt(n - 1) == ',') {
                    throw new InvalidSubjectException("the subject " + SubjectRules.quote(s) + " ends with `,`: remove it",
                            null, s);
                }
            }
            return out;
        }

        private static boolean isHex(char c) {
            return Character.digit(c, 16) >= 0;
        }

        /** Decodes pending {@code \\XX} bytes as UTF-8; true when there were any. */
        private static boolean flushHex(ByteArrayOutputStream hex, StringBuilder value, String typeName, String s) {
            if (hex.size() == 0) {
                return false;
            }
            try {
                value.append(StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(hex.toByteArray())));
            } catch (CharacterCodingException e) {
                throw new InvalidSubjectException("the `\\XX` hex escapes in " + typeName + " of " + SubjectRules.quote(s)
                        + " are not UTF-8: write the characters themselves, or their UTF-8 bytes", typeName, s);
            }
            hex.reset();
            return true;
        }

        static String escapeRfc4514(String value) {
            StringBuilder out = new StringBuilder(value.length() + 8);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (",+\"\\<>;".indexOf(c) >= 0
                        || (i == 0 && (c == ' ' || c == '#'))
                        || (i == value.length() - 1 && c == ' ')) {
                    out.append('\\').append(c);
                } else if (c < 0x20 || c == 0x7f) {
                    out.append('\\').append(String.format(Locale.ROOT, "%02X", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
