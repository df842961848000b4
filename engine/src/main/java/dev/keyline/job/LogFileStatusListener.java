package dev.keyline.job;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.OnConsoleStatusListener;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import ch.qos.logback.core.status.StatusManager;

/**
 * Takes the place of Spring Boot's console status listener, which printed every WARN and ERROR of logback with its
 * stack frames: on a full disk each log line that could not be written became a screenful (967 lines seen for one
 * run). The log file is the only appender, so its first error is reported once, as one line, and the rest is dropped:
 * a command never fails, nor floods the console, because its log cannot be written.
 */
final class LogFileStatusListener extends ContextAwareBase implements StatusListener {

    private final Path logFile;
    private final PrintStream console;
    private final AtomicBoolean reported = new AtomicBoolean();

    private LogFileStatusListener(Path logFile, PrintStream console) {
        this.logFile = logFile;
        this.console = console;
    }

    /**
     * Replaces the console status listeners of the logging context (Spring Boot adds its own when it configures
     * logback) by one for this log file.
     */
    static void install(LoggerContext context, Path logFile, PrintStream console) {
        StatusManager statuses = context.getStatusManager();
        for (StatusListener listener : statuses.getCopyOfStatusListenerList()) {
            if (listener instanceof OnConsoleStatusListener || listener instanceof LogFileStatusListener) {
                statuses.remove(listener);
            }
        }
        LogFileStatusListener listener = new LogFileStatusListener(logFile, console);
        listener.setContext(context);
        statuses.add(listener);
    }

    @Override
    public void addStatusEvent(Status status) {
        if (status.getLevel() == Status.ERROR && reported.compareAndSet(false, true)) {
            console.println("keyline: cannot write the log file " + logFile + ": " + reason(status)
                    + "; the log is incomplete");
        }
    }

    /** The innermost cause's message (e.g. "No space left on device"), else logback's own. */
    private static String reason(Status status) {
        Throwable t = status.getThrowable();
        String message = null;
        for (; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message != null ? message : status.getMessage();
    }

    /** Statuses are not reset with the configuration: the listener stays as long as the command's context. */
    @Override
    public boolean isResetResistant() {
        return true;
    }
}
