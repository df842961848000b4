package dev.keyline.lint;

import dev.keyline.error.KeylineException;

/** A certificate file that cannot be read or parsed: a usage error, nothing was examined. */
public class UnreadableCertificateException extends KeylineException {

    public UnreadableCertificateException(String message) {
        super(Kind.REJECTED_INPUT, message);
    }
}
