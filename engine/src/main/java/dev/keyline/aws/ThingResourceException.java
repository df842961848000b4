package dev.keyline.aws;

import dev.keyline.error.KeylineException;

/**
 * A thing group or thing type that a target's devices need is missing from its account (and the target does not
 * create it), or the check of it failed. Thrown before the target's first device is registered, so nothing has been
 * registered with that target; the message names the target, the group or type, and the fix.
 */
public final class ThingResourceException extends KeylineException {

    private static final long serialVersionUID = 1L;

    private ThingResourceException(Kind kind, String message, Throwable cause) {
        super(kind, message, cause);
    }

    /** A missing group or type: a configuration problem (exit code 2). */
    static ThingResourceException missing(String message) {
        return new ThingResourceException(Kind.CONFIGURATION, message, null);
    }

    /** AWS refused the check or the creation, or kept failing: running it again may help when it was transient. */
    static ThingResourceException failed(String message, boolean transientFailure, Throwable cause) {
        return new ThingResourceException(transientFailure ? Kind.TRANSIENT : Kind.FAILURE, message, cause);
    }
}
