package dev.keyline.output;

import java.io.StringWriter;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.json.JsonFactory;

/**
 * Renders one JSON object of string fields to text, escaped exactly as the export's JSON Lines generator escapes
 * (same factory settings, no separator between objects), so pieces of rows rendered apart join into the same bytes.
 * Reuses one generator and buffer. Not thread-safe.
 */
final class JsonObjectText {

    private static final JsonFactory FRAGMENTS = JsonFactory.builder().rootValueSeparator((String) null).build();

    private final StringWriter text = new StringWriter(1024);
    private final JsonGenerator json = FRAGMENTS.createGenerator(text);

    /** {@code {"name":"value",...}} */
    String of(SerializableString[] names, String[] values) {
        text.getBuffer().setLength(0);
        json.writeStartObject();
        for (int c = 0; c < names.length; c++) {
            json.writeName(names[c]);
            json.writeString(values[c]);
        }
        json.writeEndObject();
        json.flush();
        return text.toString();
    }
}
