package dev.keyline.cli;

import dev.keyline.error.UnknownChoiceException;
import picocli.CommandLine.Option;

/** {@code --log-format text|json}: how the command writes OUT/.keyline/keyline.log. */
final class LogFormatOptions {

    /** Spring Boot reads its logging configuration from here; a system property wins over Keyline's default. */
    private static final String LOGGING_CONFIG = "logging.config";
    private static final String JSON_CONFIG = "classpath:dev/keyline/job/keyline-logback-json.xml";
    private static volatile boolean set;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text | json: the log file (OUT/.keyline/keyline.log) as lines of text, or as JSON lines with "
                    + "timestamp, level, logger, thread, run, execution, step, device_id (where there is one), message "
                    + "and exception, for log shippers (default: ${DEFAULT-VALUE})")
    String format;

    /** Before the command starts its job context, which configures logging. */
    void apply() {
        switch (format) {
            case "text" -> { }
            case "json" -> {
                System.setProperty(LOGGING_CONFIG, JSON_CONFIG);
                set = true;
            }
            default -> throw new UnknownChoiceException("log format", format, java.util.List.of("text", "json"));
        }
    }

    /** After the command: the next command in this JVM (tests run many) starts from the default again. */
    static void reset() {
        if (set) {
            System.clearProperty(LOGGING_CONFIG);
            set = false;
        }
    }
}
