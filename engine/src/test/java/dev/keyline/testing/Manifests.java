package dev.keyline.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Manifests for tests, written as a line would hand them over. */
public final class Manifests {

    private Manifests() {
    }

    /** A CSV manifest of {@code count} valid devices {@code dev-0 ... dev-(count-1)}, in that order. */
    public static Path devices(Path dir, int count) throws IOException {
        return devices(dir, "dev", count);
    }

    /** As {@link #devices(Path, int)}, with ids {@code PREFIX-0 ...}, in {@code PREFIX-COUNT.csv}. */
    public static Path devices(Path dir, String prefix, int count) throws IOException {
        StringBuilder csv = new StringBuilder("device_id,organization,country\n");
        for (int i = 0; i < count; i++) {
            csv.append(prefix).append('-').append(i).append(",Acme,US\n");
        }
        return Files.writeString(dir.resolve(prefix + "-" + count + ".csv"), csv);
    }
}
