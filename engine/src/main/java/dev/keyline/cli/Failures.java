package dev.keyline.cli;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Turns an exception chain into one sentence for a person; the stack trace stays in the log file. */
final class Failures {

    private Failures() {
    }

    /**
     * The message of the outermost exception in the chain that has a kind ({@link ErrorKinds}) (it says what failed and the fix, whatever
     * framework wrapped it); else that of the deepest cause that has one (the I/O error, not the wrapper that
     * reports "step failed").
     */
    static String describe(Throwable t) {
        var classified = ErrorKinds.classified(t);
        if (classified.isPresent() && hasMessage(classified.get())) {
            return classified.get().getMessage();
        }
        Throwable best = t;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            if (hasMessage(c)) {
                best = c;
            }
        }
        return hasMessage(best) ? best.getMessage() : best.getClass().getSimpleName();
    }

    private static boolean hasMessage(Throwable t) {
        return t.getMessage() != null && !t.getMessage().isBlank();
    }
}
