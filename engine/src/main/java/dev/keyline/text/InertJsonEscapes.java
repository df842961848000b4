package dev.keyline.text;

import tools.jackson.core.SerializableString;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;

/**
 * JSON escaping for documents a person may also print ({@code keyline lint --format json | less}): besides the C0
 * controls JSON itself requires escaped, DEL, the C1 controls and the bidirectional controls of {@link InertText}
 * are written as <code>&#92;u009B</code>-style JSON escapes. A JSON parser reads them back to the very same characters, so
 * machines still get the exact value (a lint finding's value is the manifest's value); only the raw bytes on a
 * terminal become inert.
 */
public final class InertJsonEscapes extends CharacterEscapes {

    private static final long serialVersionUID = 1L;

    private final int[] ascii;

    public InertJsonEscapes() {
        ascii = standardAsciiEscapesForJSON();
        ascii[0x7F] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        return InertText.isControl(ch) ? new SerializedString(String.format("\\u%04X", ch)) : null;
    }
}
