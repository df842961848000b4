package dev.keyline.lint;

import java.nio.file.Path;
import java.util.function.Consumer;

import dev.keyline.device.ManifestFormat;
import dev.keyline.device.ManifestReader;
import dev.keyline.device.ManifestRecord;
import dev.keyline.device.ManifestScan;

/**
 * Lints a whole manifest, one row at a time: the rows stream past (only the duplicate scan's 8 bytes a row are
 * kept), and each linted device goes to the consumer, so memory stays flat in the number of devices.
 */
public final class ManifestLinter {

    private final DeviceLinter devices;

    public ManifestLinter(DeviceLinter devices) {
        this.devices = devices;
    }

    /**
     * @param each receives every row, with or without findings, in manifest order
     * @throws dev.keyline.device.ManifestException when the manifest cannot be read or its header is wrong
     */
    public LintSummary lint(Path manifest, ManifestFormat format, Consumer<LintedDevice> each) {
        ManifestScan scan = ManifestScan.of(manifest, format);
        LintSummary.Counter counter = new LintSummary.Counter();
        try (ManifestReader reader = ManifestReader.open(manifest, format)) {
            for (ManifestRecord record = reader.next(); record != null; record = reader.next()) {
                LintedDevice device = devices.lint(record, scan.firstLineOfDuplicate(record.index()));
                counter.add(device);
                each.accept(device);
            }
        }
        return counter.summary();
    }
}
