package dev.keyline.job;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The command line of this process, as the CLI received it, for the run report ("the command"). Kept once per
 * process (a static: it is a fact of the process, and the job reads it when an execution starts, in
 * {@link ReportListener}, which puts it into the execution's context, so a report rebuilt later shows it too).
 * Secrets never are arguments (the CLI refuses them), but a JDBC URL may carry a password: it is masked.
 */
public final class ProcessCommand {

    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;\\s]*");
    private static volatile String line;

    private ProcessCommand() {
    }

    /** Called by the CLI with its arguments, before the command runs. */
    public static void set(String program, List<String> args) {
        StringBuilder b = new StringBuilder(program);
        for (String arg : args) {
            b.append(' ').append(quoted(URL_PASSWORD.matcher(arg).replaceAll("$1***")));
        }
        line = b.toString();
    }

    static Optional<String> get() {
        return Optional.ofNullable(line);
    }

    /** As a POSIX shell would need it to read the argument back: plain when safe, else in single quotes. */
    private static String quoted(String arg) {
        if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
