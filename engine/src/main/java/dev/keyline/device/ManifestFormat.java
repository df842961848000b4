package dev.keyline.device;

import java.nio.file.Path;
import java.util.Locale;

/** The two manifest syntaxes a line can hand over. */
public enum ManifestFormat {
    CSV, JSONL;

    /**
     * The format named by {@code --manifest-format} ({@code run} and {@code lint}), else the one the file name says; a gzip file is named by what it
     * holds ({@code devices.csv.gz}).
     *
     * @throws ManifestException when neither decides
     */
    public static ManifestFormat of(Path manifest, String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return switch (explicit.trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> CSV;
                case "jsonl", "json-lines", "ndjson" -> JSONL;
                default -> throw new ManifestException(manifest,
                        "unknown manifest format '" + explicit + "': use --manifest-format csv or --manifest-format jsonl");
            };
        }
        String name = manifest.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - ".gz".length());
        }
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return JSONL;
        }
        throw new ManifestException(manifest,
                "cannot tell the manifest format from the name '" + manifest.getFileName() + "': name it .csv or .jsonl "
                        + "(.csv.gz or .jsonl.gz when compressed), or pass --manifest-format csv|jsonl");
    }
}
