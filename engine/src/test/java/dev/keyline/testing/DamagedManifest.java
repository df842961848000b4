package dev.keyline.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.keyline.testing.ManifestDamage.Encoding;
import dev.keyline.testing.ManifestDamage.Format;
import dev.keyline.testing.ManifestDamage.Gzip;
import dev.keyline.testing.ManifestDamage.Mutation;
import dev.keyline.testing.ManifestDamage.RowKind;

/**
 * A manifest built from a {@link ManifestDamage}, with what a run of it must do, worked out without Keyline's code.
 *
 * <p>The oracle tracks which lines a mutation touched, and widens that set wherever it cannot be sure of the
 * effect: a line that lost its line end touches the next one; in CSV, a touched line holding a quote touches every
 * line after it (a quote may open a value that runs on); a change in the first bytes (encoding and gzip detection)
 * or of the CSV header puts the whole file at risk. Every other line is intact: it parses as its own line, with
 * the line number its position gives. The oracle is sound, not complete: it never demands what the product may
 * rightly refuse, and demands everything of the lines no mutation could reach.
 */
public final class DamagedManifest {

    /** What happened to a line of the original manifest. */
    public enum State { INTACT, TOUCHED, GONE }

    /**
     * A line of the original manifest, after the damage.
     *
     * @param kind         what the line was (null: the CSV header)
     * @param deviceId     its device id, if it had one
     * @param state        whether a mutation may have changed how it reads
     * @param line         its line number in the damaged text, when intact
     * @param uniqueInText whether its device id occurs nowhere else in the damaged text
     */
    public record Row(RowKind kind, String deviceId, State state, long line, boolean uniqueInText) {

        public boolean mustIssue() {
            return state == State.INTACT && uniqueInText && (kind == RowKind.VALID || kind == RowKind.VALID_QUOTED);
        }
    }

    private static final String HEADER = "device_id,organization,country,common_name";
    /** Characters an export, a terminal paste or an attacker puts into text. */
    private static final String[] CHARACTERS = {"\u0000", "\u001B", "\u0007", "\u007F", "\u0085", "\u009B", "\u202E",
            "\u2066", "\uFEFF", "\t", " ", "\u00E9", "\uD83D\uDE00", "\u2028", ";", "=", "{", "}", ":", "\\", "\uD800"};
    /** Bytes that are not text, or not UTF-8: NUL, ESC, DEL, C1, lone lead and continuation bytes, overlongs, surrogates. */
    private static final byte[][] BYTES = {{0x00}, {0x1B}, {0x7F}, b(0x85), b(0x9B), b(0x80), b(0xC3), b(0xC0, 0xAF),
            b(0xE2, 0x80), b(0xED, 0xA0, 0x80), b(0xF4, 0x90, 0x80, 0x80), b(0xFF), b(0xFE), {0x22}, {0x2C}, {0x0A},
            {0x0D}, b(0xEF, 0xBB, 0xBF), b(0x1F, 0x8B)};

    private final ManifestDamage damage;
    private final byte[] bytes;
    private final String text;
    private final List<Row> rows;
    private final boolean wholeFileAtRisk;
    private final long lines;

    private DamagedManifest(ManifestDamage damage, byte[] bytes, String text, List<Row> rows, boolean wholeFileAtRisk) {
        this.damage = damage;
        this.bytes = bytes;
        this.text = text;
        this.rows = rows;
        this.wholeFileAtRisk = wholeFileAtRisk;
        this.lines = breaks(text) + 1;
    }

    public static DamagedManifest of(ManifestDamage damage) {
        Charset charset = charset(damage.encoding());
        int unit = charset.equals(StandardCharsets.UTF_8) ? 1 : 2;
        boolean csv = damage.format() == Format.CSV;
        String end = damage.lineEnd().text;

        // The original lines: the header (CSV), then one per row.
        List<RowKind> kinds = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<StringBuilder> texts = new ArrayList<>();
        if (csv) {
            kinds.add(null);
            ids.add(null);
            texts.add(new StringBuilder(HEADER).append(end));
        }
        String lastValid = null;
        for (int i = 0; i < damage.rows().size(); i++) {
            RowKind kind = damage.rows().get(i);
            if (kind == RowKind.REPEATED_ID && lastValid == null) {
                kind = RowKind.VALID;
            }
            String id = switch (kind) {
                case VALID, VALID_QUOTED -> deviceId(i);
                case REPEATED_ID -> lastValid;
                case BAD_ID -> "bad id " + i;
                case NO_ID, BLANK -> null;
            };
            if (kind == RowKind.VALID || kind == RowKind.VALID_QUOTED) {
                lastValid = id;
            }
            kinds.add(kind);
            ids.add(id);
            texts.add(new StringBuilder(kind == RowKind.BLANK ? "" : csv ? csvRow(kind, id, i) : jsonRow(kind, id, i))
                    .append(end));
        }
        int n = texts.size();
        boolean[] touched = new boolean[n];
        boolean atRisk = false;

        for (Mutation m : damage.mutations()) {
            if (m.kind().onBytes()) {
                continue;
            }
            int s = m.row() % n;
            StringBuilder t = texts.get(s);
            if (t.isEmpty() && m.kind() == Mutation.Kind.DELETE_CHAR) {
                continue;
            }
            int at = t.isEmpty() ? 0 : m.at() % t.length();
            switch (m.kind()) {
                case INSERT_QUOTE -> t.insert(at, '"');
                case INSERT_COMMA -> t.insert(at, ',');
                case INSERT_LINE_BREAK -> t.insert(at, new String[] {"\n", "\r", "\r\n"}[m.payload() % 3]);
                case INSERT_CHAR -> t.insert(at, CHARACTERS[m.payload() % CHARACTERS.length]);
                case DELETE_CHAR -> t.deleteCharAt(at);
                default -> throw new IllegalStateException(m.kind().name());
            }
            touched[s] = true;
            atRisk |= s == 0 && at < 4;
        }

        List<byte[]> encoded = new ArrayList<>();
        for (StringBuilder t : texts) {
            encoded.add(t.toString().getBytes(charset));
        }
        for (Mutation m : damage.mutations()) {
            if (!m.kind().onBytes()) {
                continue;
            }
            int s = m.row() % n;
            byte[] b = encoded.get(s);
            int units = b.length / unit;
            if (units == 0) {
                continue;
            }
            int at;
            switch (m.kind()) {
                case FLIP_BIT -> {
                    at = m.at() % b.length;
                    b = b.clone();
                    b[at] ^= (byte) (1 << (m.payload() % 8));
                }
                case INSERT_BYTES -> {
                    at = (m.at() % units) * unit;
                    byte[] inserted = BYTES[m.payload() % BYTES.length];
                    if (inserted.length % unit != 0) {
                        inserted = Arrays.copyOf(inserted, inserted.length + 1); // a whole UTF-16 code unit
                    }
                    b = splice(b, at, 0, inserted);
                }
                case DELETE_BYTE -> {
                    at = (m.at() % units) * unit;
                    b = splice(b, at, unit, new byte[0]);
                }
                default -> throw new IllegalStateException(m.kind().name());
            }
            encoded.set(s, b);
            touched[s] = true;
            atRisk |= s == 0 && at < 4;
        }

        // A line that lost its line end runs into the next one.
        byte[] lineEnd = end.getBytes(charset);
        for (int i = 0; i + 1 < n; i++) {
            if (touched[i] && !endsWith(encoded.get(i), lineEnd)) {
                touched[i + 1] = true;
            }
        }
        // In CSV a quote in a touched line may open a value that runs to any later line.
        if (csv) {
            for (int i = 0; i < n; i++) {
                if (touched[i] && decode(encoded.get(i), charset).indexOf('"') >= 0) {
                    Arrays.fill(touched, i, n, true);
                    break;
                }
            }
        }
        atRisk |= csv && touched[0];

        byte[] bom = bom(damage.encoding());
        int kept = n;
        if (damage.cutPercent() != null) {
            int total = bom.length + encoded.stream().mapToInt(b -> b.length).sum();
            int cut = (int) ((long) total * damage.cutPercent() / 100);
            atRisk |= cut < bom.length + 4;
            int offset = bom.length;
            for (int i = 0; i < n; i++) {
                byte[] b = encoded.get(i);
                if (cut <= offset) {
                    kept = i;
                    break;
                }
                if (cut < offset + b.length) {
                    encoded.set(i, Arrays.copyOf(b, cut - offset));
                    touched[i] = true;
                    atRisk |= i == 0 && csv;
                    kept = i + 1;
                    break;
                }
                offset += b.length;
            }
        }

        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        plain.writeBytes(bom);
        List<Long> lineOf = new ArrayList<>();
        ByteArrayOutputStream before = new ByteArrayOutputStream();
        for (int i = 0; i < kept; i++) {
            lineOf.add(breaks(decode(before.toByteArray(), charset)) + 1);
            before.writeBytes(encoded.get(i));
            plain.writeBytes(encoded.get(i));
        }
        String text = decode(before.toByteArray(), charset);

        List<Row> rows = new ArrayList<>();
        for (int i = csv ? 1 : 0; i < n; i++) {
            State state = i >= kept ? State.GONE : touched[i] ? State.TOUCHED : State.INTACT;
            String id = ids.get(i);
            rows.add(new Row(kinds.get(i), id, state, i < kept ? lineOf.get(i) : -1, id != null && occurrences(text, id) == 1));
        }
        byte[] file = plain.toByteArray();
        if (damage.gzip() != Gzip.NONE) {
            try {
                file = ManifestFiles.gzip(file);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            if (damage.gzip() == Gzip.GZIP_CUT) {
                // Anywhere from just past the gzip header to the last byte of its trailer.
                file = Arrays.copyOf(file, 10 + (int) ((long) (file.length - 11) * (damage.cutPercent() == null ? 50
                        : damage.cutPercent()) / 100));
            }
        }
        return new DamagedManifest(damage, file, text, List.copyOf(rows), atRisk);
    }

    public ManifestDamage damage() {
        return damage;
    }

    /** The device rows of the original manifest (not the header), in order. */
    public List<Row> rows() {
        return rows;
    }

    /** The damaged text as the oracle decodes it (the intended encoding, before gzip, without a byte order mark). */
    public String text() {
        return text;
    }

    /** Physical lines in the damaged text: LF, CRLF and a lone CR each end one. */
    public long lines() {
        return lines;
    }

    /** Whether the damage may make the whole file unreadable: then the run may stop with exit 2. */
    public boolean wholeFileAtRisk() {
        return wholeFileAtRisk || gzipCut();
    }

    /** A cut-off gzip: the run must stop with exit 2 before any key. */
    public boolean gzipCut() {
        return damage.gzip() == Gzip.GZIP_CUT;
    }

    public Path write(Path dir) throws IOException {
        String name = "devices." + (damage.format() == Format.CSV ? "csv" : "jsonl") + (damage.gzip() == Gzip.NONE ? "" : ".gz");
        return Files.write(dir.resolve(name), bytes);
    }

    /** The damage and the start of the damaged text, every character outside printable ASCII escaped. */
    public String describe() {
        StringBuilder shown = new StringBuilder();
        String head = text.length() > 1500 ? text.substring(0, 1500) + "…" : text;
        head.chars().forEach(c -> {
            if (c == '\n') {
                shown.append("\\n\n");
            } else if (c < 0x20 || c > 0x7E) {
                shown.append(String.format("\\u%04X", c));
            } else {
                shown.append((char) c);
            }
        });
        return damage + "\n" + shown;
    }

    static String deviceId(int index) {
        // Ids that no single mutation turns into one another: the index, and letters that differ with it.
        long mix = (index + 1) * 0x9E3779B97F4A7C15L;
        return "d" + index + "-" + Long.toString(mix >>> 40, 36);
    }

    private static String csvRow(RowKind kind, String id, int i) {
        String common = kind == RowKind.VALID_QUOTED ? "\"Sensor, rev " + i + "\"" : "Sensor " + i;
        return (id == null ? "" : id) + ",Acme,US," + common;
    }

    private static String jsonRow(RowKind kind, String id, int i) {
        String common = kind == RowKind.VALID_QUOTED ? "Sensor, rev " + i : "Sensor " + i;
        return "{" + (id == null ? "" : "\"device_id\":\"" + id + "\",") + "\"organization\":\"Acme\",\"country\":\"US\","
                + "\"common_name\":\"" + common + "\"}";
    }

    private static Charset charset(Encoding encoding) {
        return switch (encoding) {
            case UTF8, UTF8_BOM -> StandardCharsets.UTF_8;
            case UTF16LE, UTF16LE_BOM -> StandardCharsets.UTF_16LE;
            case UTF16BE, UTF16BE_BOM -> StandardCharsets.UTF_16BE;
        };
    }

    private static byte[] bom(Encoding encoding) {
        return switch (encoding) {
            case UTF8_BOM -> b(0xEF, 0xBB, 0xBF);
            case UTF16LE_BOM -> b(0xFF, 0xFE);
            case UTF16BE_BOM -> b(0xFE, 0xFF);
            default -> new byte[0];
        };
    }

    private static String decode(byte[] bytes, Charset charset) {
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError(e);
        }
    }

    static long breaks(String text) {
        long count = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                count++;
            } else if (c == '\r') {
                count++;
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
            }
        }
        return count;
    }

    private static int occurrences(String text, String id) {
        int count = 0;
        for (int at = text.indexOf(id); at >= 0; at = text.indexOf(id, at + 1)) {
            count++;
        }
        return count;
    }

    private static boolean endsWith(byte[] b, byte[] suffix) {
        return b.length >= suffix.length
                && Arrays.equals(b, b.length - suffix.length, b.length, suffix, 0, suffix.length);
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] result = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, result, 0, at);
        System.arraycopy(insert, 0, result, at, insert.length);
        System.arraycopy(b, at + remove, result, at + insert.length, b.length - at - remove);
        return result;
    }

    private static byte[] b(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }
}
