package dev.keyline.job;

import java.nio.file.Path;

import dev.keyline.error.KeylineException;

/**
 * Another process holds the output's lock. Two processes on one output would issue the same devices twice and take
 * each other's running executions for dead ones, so the second one does nothing.
 */
public class OutputInUseException extends KeylineException {

    private static final long serialVersionUID = 1L;

    public OutputInUseException(Path out) {
        super(Kind.CONFIGURATION, "another keyline process is using " + out + "; wait for it to finish "
                + "(keyline status --out " + out + " shows it)");
    }
}
