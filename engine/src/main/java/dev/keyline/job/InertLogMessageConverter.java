package dev.keyline.job;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.keyline.text.InertText;

/**
 * The log file's {@code %m}: the formatted message made {@link InertText inert}. Messages carry values from
 * outside (job parameters name the manifest, Spring Batch repeats exception messages that quote manifest rows), and
 * the log is read with {@code less} and {@code tail}: one event stays one line, and no value controls the terminal.
 * Registered by {@link KeylineLoggingSystem}.
 */
public final class InertLogMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return InertText.of(super.convert(event));
    }
}
