package dev.keyline.testing;

import java.nio.file.Path;

import dev.keyline.device.ManifestFormat;
import dev.keyline.device.ManifestReader;
import dev.keyline.device.ManifestRecord;

/**
 * A child JVM's main: reads a manifest through the product's reader and prints what it found, so a test can run
 * the reader under a small heap ({@code -Xmx64m}) and see that memory stays bounded however long a row is.
 */
public final class ManifestRowCount {

    private ManifestRowCount() {
    }

    public static void main(String[] args) {
        Path manifest = Path.of(args[0]);
        long rows = 0;
        StringBuilder defects = new StringBuilder();
        String lastDevice = null;
        try (ManifestReader reader = ManifestReader.open(manifest, ManifestFormat.of(manifest, null))) {
            for (ManifestRecord r = reader.next(); r != null; r = reader.next()) {
                rows++;
                if (r.defect() != null) {
                    defects.append(" line ").append(r.line()).append(": ").append(r.defect(), 0, Math.min(60, r.defect().length()));
                } else {
                    lastDevice = r.rawDeviceId();
                }
            }
        }
        System.out.println("rows=" + rows + " last=" + lastDevice + " defects:" + defects);
    }
}
