package dev.keyline.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them on a command line: {@code 30s}, {@code 2m}, {@code 1h}, {@code 500ms}. */
final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private Durations() {
    }

    static Duration parse(String option, String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new UsageException(option + " " + text + " is not a duration: write it like 30s, 2m, 1h or 500ms");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
