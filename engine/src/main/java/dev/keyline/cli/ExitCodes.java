package dev.keyline.cli;

/** The exit codes every command keeps to. */
public final class ExitCodes {

    /** The run completed (rejected rows, if any, are in rejects.csv and the summary). */
    public static final int OK = 0;
    /** The run failed and can be restarted. */
    public static final int FAILED = 1;
    /** Usage or configuration error: nothing was done. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
