package dev.keyline.text;

import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Locale;

/**
 * A console stream whose text is {@link InertText inert}: each print call is escaped as a whole, so a control
 * character inside a message (a device id, a reason, an AWS error message) is shown, never obeyed. The line breaks
 * the program writes itself stay: {@code println}'s, and {@code %n} in {@code printf}, which the formatter writes
 * as a call of its own, and a carriage return that begins a call (a progress line redrawn in place). A line feed
 * or a carriage return inside a composed message is escaped like any other control: one message, one line.
 *
 * <p>Raw bytes ({@code write(byte[])}) pass unchanged: only text is escaped.
 */
public final class InertPrintStream extends PrintStream {

    private static final String LINE_SEPARATOR = System.lineSeparator();

    private InertPrintStream(PrintStream target) {
        super(target, true, consoleCharset());
    }

    /** The charset the JDK chose for System.out: stdout.encoding (JDK 19 and later), else the default charset. */
    private static Charset consoleCharset() {
        String name = System.getProperty("stdout.encoding");
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException unknown) {
            return Charset.defaultCharset();
        }
    }

    /** The stream itself when it is already inert (escaping twice would escape the escapes' backslashes). */
    public static PrintStream over(PrintStream target) {
        return target instanceof InertPrintStream ? target : new InertPrintStream(target);
    }

    @Override
    public void print(String s) {
        String text = String.valueOf(s);
        if (text.equals(LINE_SEPARATOR) || text.equals("\n")) {
            super.print(text);
        } else if (text.startsWith("\r")) {
            // A progress line redrawn in place (the progress bar library prints "\r" + the bar in one call).
            super.print("\r");
            super.print(InertText.of(text.substring(1)));
        } else {
            super.print(InertText.of(text));
        }
    }

    @Override
    public void print(Object obj) {
        print(String.valueOf(obj));
    }

    @Override
    public void print(char[] s) {
        print(new String(s));
    }

    @Override
    public void print(char c) {
        print(String.valueOf(c));
    }

    @Override
    public void println(String x) {
        synchronized (this) {
            print(x);
            newLine();
        }
    }

    @Override
    public void println(Object x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(char[] x) {
        println(new String(x));
    }

    @Override
    public void println() {
        newLine();
    }

    private void newLine() {
        super.print(LINE_SEPARATOR);
    }

    @Override
    public PrintStream printf(String format, Object... args) {
        return format(format, args);
    }

    @Override
    public PrintStream printf(Locale l, String format, Object... args) {
        return format(l, format, args);
    }

    @Override
    public PrintStream append(CharSequence csq) {
        print(String.valueOf(csq));
        return this;
    }
}
