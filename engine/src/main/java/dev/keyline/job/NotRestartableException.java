package dev.keyline.job;

import dev.keyline.error.KeylineException;

/** {@code restart} found no execution it may resume: none by that id, one that ended for good, or none at all. */
public class NotRestartableException extends KeylineException {

    private static final long serialVersionUID = 1L;

    public NotRestartableException(String message) {
        super(Kind.CONFIGURATION, message);
    }
}
