package dev.keyline.cli;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a run goes: the first asks the run to stop after its current chunk, so it ends
 * STOPPED with every committed chunk whole and the restart command printed; the second stops the process at once (as
 * a kill would: chunks in flight are lost, committed ones stay). Without this the JVM ended a run silently with exit
 * 130 or 143.
 *
 * <p>The JDK has no supported API for handling a signal; {@code sun.misc.Signal} (module jdk.unsupported, kept by the
 * JDK for this use) is reached by reflection, because javac's warning about it cannot be suppressed.
 */
final class StopOnSignal implements AutoCloseable {

    private static final String[] SIGNALS = {"INT", "TERM"};

    private final Runnable stop;
    private final String restartHint;
    private final PrintStream err;
    private final AtomicInteger received = new AtomicInteger();
    private final Map<Object, Object> previous = new LinkedHashMap<>();

    /**
     * @param stop        asks the run to stop after its current chunk
     * @param restartHint the command that resumes the run, printed when the second signal ends the process
     */
    StopOnSignal(Runnable stop, String restartHint, PrintStream err) {
        this.stop = stop;
        this.restartHint = restartHint;
        this.err = err;
        for (String name : SIGNALS) {
            try {
                Object signal = Api.SIGNAL.getConstructor(String.class).newInstance(name);
                previous.put(signal, Api.handle(signal, handler(name)));
            } catch (IllegalArgumentException | ReflectiveOperationException e) {
                // The JVM reserves the signal (java -Xrs) or has no such API: the JVM's default applies.
            }
        }
    }

    /** Whether a signal asked this run to stop. */
    boolean stopRequested() {
        return received.get() > 0;
    }

    private Object handler(String name) {
        return Proxy.newProxyInstance(Api.HANDLER.getClassLoader(), new Class<?>[] {Api.HANDLER}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "handle" -> {
                        received(name);
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "keyline handler of SIG" + name;
                });
    }

    private void received(String name) {
        if (received.incrementAndGet() == 1) {
            err.println();
            err.println("keyline: SIG" + name + ": stopping after the current chunk (committed chunks are kept); send it "
                    + "again to stop at once");
            stop.run();
            return;
        }
        err.println();
        err.println("keyline: SIG" + name + " again: stopped at once; chunks not yet committed are lost and will be "
                + "issued again, committed ones are kept");
        err.println("  resume with: " + restartHint);
        err.flush();
        Runtime.getRuntime().halt(ExitCodes.FAILED);
    }

    /** Gives the signals back to the JVM's handlers: outside a run they end the process as usual. */
    @Override
    public void close() {
        previous.forEach((signal, handler) -> {
            try {
                Api.handle(signal, handler);
            } catch (IllegalArgumentException | ReflectiveOperationException e) {
                // it was installed, so it can be put back; if not, the process ends soon anyway
            }
        });
    }

    /** {@code sun.misc.Signal.handle(Signal, SignalHandler)}. */
    private static final class Api {
        static final Class<?> SIGNAL = load("sun.misc.Signal");
        static final Class<?> HANDLER = load("sun.misc.SignalHandler");

        static Object handle(Object signal, Object handler) throws ReflectiveOperationException {
            Method handle = SIGNAL.getMethod("handle", SIGNAL, HANDLER);
            try {
                return handle.invoke(null, signal, handler);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof IllegalArgumentException reserved) {
                    throw reserved;
                }
                throw e;
            }
        }

        private static Class<?> load(String name) {
            try {
                return Class.forName(name);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(name + " is missing from this JDK", e);
            }
        }
    }
}
