package dev.keyline.device;

import java.util.Map;

/**
 * One raw device row, before validation.
 *
 * @param index  0-based position among the manifest's device rows (blank lines and the header excluded);
 *               the unit a restart resumes at
 * @param line   1-based line of the file where the row starts, for people
 * @param fields column name to value, in manifest order; absent columns are absent
 * @param defect a problem found while reading the row (e.g. a field count that does not match the header),
 *               or null; such a row is rejected with this reason
 */
public record ManifestRecord(long index, long line, Map<String, String> fields, String defect) {

    public ManifestRecord {
        fields = Map.copyOf(fields);
    }

    public static ManifestRecord defective(long index, long line, String defect) {
        return new ManifestRecord(index, line, Map.of(), defect);
    }

    /** The raw device_id as written, for reject reports; may be null or invalid. */
    public String rawDeviceId() {
        return fields.get(ManifestColumns.DEVICE_ID);
    }
}
