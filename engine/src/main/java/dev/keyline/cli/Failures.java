package dev.keyline.cli;

/** Turns an exception chain into one sentence for a person; the stack trace stays in the log file. */
final class Failures {

    private Failures() {
    }

    static String describe(Throwable t) {
        Throwable best = t;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank() && !isWrapper(c)) {
                best = c;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        String message = best.getMessage();
        return message == null || message.isBlank() ? best.getClass().getSimpleName() : message;
    }

    /** Framework wrappers whose message only repeats "something failed". */
    private static boolean isWrapper(Throwable t) {
        String name = t.getClass().getName();
        return name.startsWith("org.springframework.batch.core.step.") && name.endsWith("FatalStepExecutionException")
                || name.equals("java.util.concurrent.ExecutionException")
                || name.startsWith("org.springframework.batch.core.job.flow.");
    }
}
