package dev.keyline.hsm;

/** The --hsm configuration file is missing, unreadable or has a wrong or missing setting. */
public final class HsmConfigException extends HsmException {

    public HsmConfigException(String message) {
        super(message);
    }

    public HsmConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
