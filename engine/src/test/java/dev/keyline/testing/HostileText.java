package dev.keyline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/**
 * Values an attacker (or a broken line tool) puts into manifests and certificates, and the check that what Keyline
 * shows of them is inert: no control or bidirectional control character, raw.
 */
public final class HostileText {

    public static final String ESC = Character.toString(0x1B);
    public static final String NUL = Character.toString(0x00);
    public static final String BEL = Character.toString(0x07);
    /** C1 CSI: a one-byte escape sequence introducer on some terminals. */
    public static final String CSI = Character.toString(0x9B);
    /** RIGHT-TO-LEFT OVERRIDE: shows "txt.exe" as "exe.txt". */
    public static final String RLO = Character.toString(0x202E);
    /** The classic CSV injection payload: DDE through a spreadsheet. */
    public static final String FORMULA = "=cmd|' /C calc'!A0";

    private HostileText() {
    }

    /** Every control character (C0 but line feed and, where {@code allowTabs}, tab; DEL; C1; bidi) found in text. */
    public static List<String> controlsIn(String text, boolean allowTabs) {
        List<String> found = new ArrayList<>();
        text.chars().filter(c -> c != '\n' && !(allowTabs && c == '\t'))
                .filter(c -> c < 0x20 || c >= 0x7F && c <= 0x9F || c == 0x061C || c == 0x200E || c == 0x200F
                        || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069)
                .forEach(c -> found.add("U+%04X".formatted(c)));
        return found;
    }

    /** Fails naming every raw control character in what a channel wrote. */
    public static void assertInert(String channel, String text) {
        assertThat(controlsIn(text, false)).as("raw control characters in %s:%n%s", channel, text).isEmpty();
    }

    /** The log file: logback indents stack frames with a tab of its own. */
    public static void assertInertLog(String channel, String text) {
        assertThat(controlsIn(text, true)).as("raw control characters in %s:%n%s", channel, text).isEmpty();
    }
}
