package dev.keyline.job;

import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LogFile;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.LoggingSystemFactory;
import org.springframework.boot.logging.logback.LogbackLoggingSystem;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;

/**
 * Spring Boot's logback system, which writes the text log file ({@code OUT/.keyline/keyline.log}) without reading an
 * XML configuration: Boot's own programmatic defaults (the file appender, pattern, rolling policy and threshold that
 * its {@code file-appender.xml} declares, from the same {@code logging.*} properties), then the message and the stack
 * traces made inert ({@link InertLogMessageConverter}, {@link InertThrowableConverter}) and no console appender (the
 * console is the CLI's). Parsing the XML took logback's Joran and the JDK's XML parser: some 400 classes and 5% of
 * a {@code keyline status}. Any other configuration ({@code --log-format json}, a {@code logging.config} of one's
 * own) is loaded as Boot loads it.
 */
public final class KeylineLoggingSystem extends LogbackLoggingSystem {

    /** The value of {@code logging.config} that asks for the text log file ({@link Provisioning} sets it). */
    public static final String TEXT_LOG = "keyline:text-log";

    public KeylineLoggingSystem(ClassLoader classLoader) {
        super(classLoader);
    }

    @Override
    protected void loadConfiguration(LoggingInitializationContext initializationContext, String location,
                                     LogFile logFile) {
        if (!TEXT_LOG.equals(location)) {
            super.loadConfiguration(initializationContext, location, logFile);
            return;
        }
        loadDefaults(initializationContext, logFile);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        // Boot's defaults add frames' jar names to stack traces; a configuration file leaves them out, as before.
        context.setPackagingDataEnabled(false);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Appender<ILoggingEvent> console = root.getAppender("CONSOLE");
        if (console != null) {
            root.detachAppender(console);
            console.stop();
        }
        if (!(root.getAppender("FILE") instanceof OutputStreamAppender<ILoggingEvent> file)
                || !(file.getEncoder() instanceof PatternLayoutEncoder encoder)
                || !(encoder.getLayout() instanceof PatternLayout layout)) {
            throw new IllegalStateException("Spring Boot's logging defaults made no pattern file appender for " + logFile);
        }
        // The layout's own rules come before the context's (where Boot put its %wEx); started again, it uses them.
        layout.getInstanceConverterMap().put("m", InertLogMessageConverter::new);
        layout.getInstanceConverterMap().put("msg", InertLogMessageConverter::new);
        layout.getInstanceConverterMap().put("message", InertLogMessageConverter::new);
        layout.getInstanceConverterMap().put("wEx", InertThrowableConverter::new);
        layout.stop();
        layout.start();
    }

    /** Chosen before Boot's logback system (its factory's order is HIGHEST_PRECEDENCE + 1024) while logback is there. */
    @Order(Ordered.HIGHEST_PRECEDENCE + 1000)
    public static final class Factory implements LoggingSystemFactory {

        private static final boolean PRESENT = org.springframework.util.ClassUtils.isPresent(
                "ch.qos.logback.classic.LoggerContext", Factory.class.getClassLoader());

        @Override
        public LoggingSystem getLoggingSystem(ClassLoader classLoader) {
            return PRESENT ? new KeylineLoggingSystem(classLoader) : null;
        }
    }
}
