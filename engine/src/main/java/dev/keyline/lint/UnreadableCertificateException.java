package dev.keyline.lint;

/** A certificate file that cannot be read or parsed: a usage error, nothing was examined. */
public class UnreadableCertificateException extends IllegalArgumentException {

    public UnreadableCertificateException(String message) {
        super(message);
    }
}
