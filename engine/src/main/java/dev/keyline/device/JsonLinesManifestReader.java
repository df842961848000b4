package dev.keyline.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON Lines: one object a line. Values are strings (numbers are taken as written); the list columns may also
 * be arrays of strings and {@code attributes} an object, which are turned into the CSV spelling
 * ({@code a;b}, {@code k=v;k=v}) so both formats share one validator.
 */
final class JsonLinesManifestReader implements ManifestReader {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Set<String> LIST_COLUMNS = Set.of(ManifestColumns.SAN_DNS, ManifestColumns.SAN_URI,
            ManifestColumns.SAN_IP, ManifestColumns.THING_GROUPS, ManifestColumns.ACCOUNTS);

    private final Path manifest;
    private final ManifestInput input;
    private final BoundedLines lines;
    private long index;

    JsonLinesManifestReader(Path manifest, ManifestInput input) {
        this.manifest = manifest;
        this.input = input;
        this.lines = new BoundedLines(input.reader(), MAX_ROW_CHARS);
    }

    @Override
    public ManifestRecord next() {
        while (true) {
            BoundedLines.Line line = readLine();
            if (line == null) {
                return null;
            }
            if (line.tooLong()) {
                return ManifestRecord.defective(index++, line.number(), "the line is " + String.format("%,d", line.length())
                        + " characters long, over the limit of " + String.format("%,d", MAX_ROW_CHARS)
                        + " (a certificate request in PEM is about 2,000): not a manifest line? Shorten or remove it");
            }
            String text = line.text();
            if (text.isBlank()) {
                continue;
            }
            return parse(index++, line.number(), text);
        }
    }

    private ManifestRecord parse(long rowIndex, long line, String text) {
        if (text.charAt(0) == '\uFEFF') {
            // A byte order mark starting a line: two exports joined into one file. It means nothing inside the
            // text, and each line is a whole object, so the line is read without it.
            text = text.substring(1);
        }
        if (ManifestReader.hasUndecodable(text)) {
            return ManifestRecord.defective(rowIndex, line, input.undecodable());
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            return ManifestRecord.defective(rowIndex, line, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return ManifestRecord.defective(rowIndex, line, "each line must be one JSON object, e.g. {\"device_id\":\"dev-1\"}");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String name = property.getKey();
            if (!ManifestColumns.isKnown(name)) {
                return ManifestRecord.defective(rowIndex, line, ManifestColumns.unknown("key", name));
            }
            String value;
            try {
                value = flatten(name, property.getValue());
            } catch (IllegalArgumentException e) {
                return ManifestRecord.defective(rowIndex, line, e.getMessage());
            }
            if (value != null && !value.isBlank()) {
                fields.put(name, value.strip());
            }
        }
        return new ManifestRecord(rowIndex, line, fields, null);
    }

    private static String flatten(String name, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isString() || value.isNumber() || value.isBoolean()) {
            return value.asString();
        }
        if (value.isArray() && LIST_COLUMNS.contains(name)) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode element : value) {
                if (!element.isString()) {
                    throw new IllegalArgumentException("'" + name + "' must be a list of strings");
                }
                if (element.asString().contains(";")) {
                    throw new IllegalArgumentException("'" + name + "' element '" + element.asString() + "' contains ';'");
                }
                if (!joined.isEmpty()) {
                    joined.append(';');
                }
                joined.append(element.asString());
            }
            return joined.toString();
        }
        if (value.isObject() && name.equals(ManifestColumns.ATTRIBUTES)) {
            StringBuilder joined = new StringBuilder();
            for (Map.Entry<String, JsonNode> attribute : value.properties()) {
                JsonNode v = attribute.getValue();
                if (!(v.isString() || v.isNumber() || v.isBoolean())) {
                    throw new IllegalArgumentException("attribute '" + attribute.getKey() + "' must be a string");
                }
                if (!joined.isEmpty()) {
                    joined.append(';');
                }
                joined.append(attribute.getKey()).append('=').append(v.asString());
            }
            return joined.toString();
        }
        throw new IllegalArgumentException("'" + name + "' must be a string" + (LIST_COLUMNS.contains(name)
                ? " or a list of strings" : name.equals(ManifestColumns.ATTRIBUTES) ? " or an object" : ""));
    }

    private BoundedLines.Line readLine() {
        try {
            return lines.next();
        } catch (IOException e) {
            throw input.unreadable(manifest, lines.linesRead(), e);
        }
    }

    @Override
    public boolean skipOne() {
        while (true) {
            BoundedLines.Line line = readLine();
            if (line == null) {
                return false;
            }
            if (line.tooLong() || !line.text().isBlank()) {
                index++;
                return true;
            }
        }
    }

    @Override
    public long position() {
        return index;
    }

    @Override
    public void close() {
        try {
            input.reader().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
