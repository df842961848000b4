package dev.keyline.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

class InertTextTest {

    /** Every character that must never reach a display raw: C0, DEL, C1, and the bidirectional controls. */
    static final int[] CONTROLS = IntStream.concat(IntStream.concat(IntStream.rangeClosed(0x00, 0x1F), IntStream.rangeClosed(0x7F, 0x9F)),
            IntStream.of(0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069)).toArray();

    @Test
    void everyControlIsEscapedAsBackslashUAndFourUpperCaseHexDigits() {
        for (int c : CONTROLS) {
            String raw = "a" + (char) c + "b";
            assertThat(InertText.of(raw)).as("U+%04X", c).isEqualTo("a\\u%04Xb".formatted(c));
            assertThat(InertText.isControl(c)).as("U+%04X", c).isTrue();
        }
        assertThat(InertText.of(Character.toString(0x1B) + "[31mred")).isEqualTo("\\u001B[31mred");
    }

    @Test
    void printableTextIsLeftAlone() {
        String text = "Zürich, 東京, CN=thing\\C=US, =cmd|' /C calc'!A0, emoji \uD83D\uDE00, U+2028 stays: \u2028";
        assertThat(InertText.of(text)).isSameAs(text);
        for (int c : new int[] {0x20, 0x7E, 0xA0, 0x0600, 0x061B, 0x061D, 0x200D, 0x2010, 0x2029, 0x202F, 0x2065, 0x206A}) {
            assertThat(InertText.isControl(c)).as("U+%04X", c).isFalse();
        }
    }

    @Test
    void halfASurrogatePairIsEscapedSoTheTextCanBeWrittenAsUtf8() throws Exception {
        // Jackson's reason for a JSON line broken at an emoji quotes half of it ("code 55357 / 0xD83D"); raw, that
        // half made rejects.csv unwritable ("Input length = 1") and the run exit 1.
        String reason = "high \uD83D, low \uDE00, at the end \uD83D";
        String inert = InertText.of(reason);
        assertThat(inert).isEqualTo("high \\uD83D, low \\uDE00, at the end \\uD83D");
        StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(inert)); // throws on an unpaired surrogate
        assertThat(InertText.restore(inert)).isEqualTo(reason);
        String pair = "a whole emoji \uD83D\uDE00 stays";
        assertThat(InertText.of(pair)).isSameAs(pair);
    }

    @Test
    void aBackslashIsEscapedOnlyWhereItWouldReadAsAnEscape() {
        assertThat(InertText.of("CN=thing\\C=US")).isEqualTo("CN=thing\\C=US");
        assertThat(InertText.of("literal \\u001B")).isEqualTo("literal \\u005Cu001B");
        assertThat(InertText.of("ends with \\")).isEqualTo("ends with \\");
    }

    @Test
    void restoreGivesBackEveryValueExactly() {
        StringBuilder all = new StringBuilder("x\\u0041 \\\\u y\\");
        for (int c : CONTROLS) {
            all.append((char) c).append('\\');
        }
        String value = all.append("\\u").toString();
        String inert = InertText.of(value);
        assertThat(inert.chars().filter(InertText::isControl)).isEmpty();
        assertThat(InertText.restore(inert)).isEqualTo(value);
    }

    @Test
    void keepingLineFeedsKeepsOnlyLineFeeds() {
        String raw = "one" + (char) 0x0A + "two" + (char) 0x0D + (char) 0x09 + (char) 0x1B;
        assertThat(InertText.keepingLineFeeds(raw)).isEqualTo("one" + (char) 0x0A + "two\\u000D\\u0009\\u001B");
    }

    @Test
    void theConsoleStreamEscapesInsideMessagesAndKeepsItsOwnLineBreaks() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = InertPrintStream.over(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(InertPrintStream.over(console)).as("never twice").isSameAs(console);
        String evil = "evil" + (char) 0x1B + "[31m" + (char) 0x0A + "forged line" + (char) 0x202E;
        console.println("rejected " + evil);
        console.printf("%s and %d%n", evil, 1);
        console.print("\r" + "progress " + (char) 0x0D);
        console.print(evil.toCharArray());
        console.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
                "rejected evil\\u001B[31m\\u000Aforged line\\u202E" + System.lineSeparator()
                        + "evil\\u001B[31m\\u000Aforged line\\u202E and 1" + System.lineSeparator()
                        + "\r" + "progress \\u000D" + "evil\\u001B[31m\\u000Aforged line\\u202E");
    }

    @Test
    void jsonKeepsTheExactValueButItsBytesAreInert() {
        JsonMapper mapper = JsonMapper.builder(JsonFactory.builder().characterEscapes(new InertJsonEscapes()).build()).build();
        StringBuilder all = new StringBuilder("Zürich ");
        for (int c : CONTROLS) {
            all.append((char) c);
        }
        String value = all.toString();
        String json = mapper.writeValueAsString(java.util.Map.of("v", value));
        assertThat(json.chars().filter(InertText::isControl)).isEmpty();
        assertThat(json).contains("Zürich").contains("\\u009B").contains("\\u202E").contains("\\u007F");
        assertThat(mapper.readTree(json).get("v").asString()).isEqualTo(value);
    }
}
