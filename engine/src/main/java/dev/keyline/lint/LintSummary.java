package dev.keyline.lint;

/**
 * Counts over a linted manifest.
 *
 * @param rows                device rows checked
 * @param devicesWithErrors   rows with at least one error (these would be rejected, never signed)
 * @param devicesWithWarnings rows with at least one warning
 * @param errors              errors in all
 * @param warnings            warnings in all
 */
public record LintSummary(long rows, long devicesWithErrors, long devicesWithWarnings, long errors, long warnings) {

    /** Adds devices up as they stream past. Not thread-safe. */
    static final class Counter {
        private long rows;
        private long devicesWithErrors;
        private long devicesWithWarnings;
        private long errors;
        private long warnings;

        void add(LintedDevice device) {
            rows++;
            devicesWithErrors += device.hasErrors() ? 1 : 0;
            devicesWithWarnings += device.hasWarnings() ? 1 : 0;
            for (Finding f : device.findings()) {
                if (f.isError()) {
                    errors++;
                } else {
                    warnings++;
                }
            }
        }

        LintSummary summary() {
            return new LintSummary(rows, devicesWithErrors, devicesWithWarnings, errors, warnings);
        }
    }
}
