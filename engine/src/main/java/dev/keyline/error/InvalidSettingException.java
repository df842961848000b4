package dev.keyline.error;

/**
 * An option or configuration setting whose value cannot be used. The message names the setting and the fix; nothing
 * has been done when it is thrown.
 */
public class InvalidSettingException extends KeylineException {

    private static final long serialVersionUID = 1L;

    private final String setting;

    /**
     * @param setting the option or key as the user writes it, e.g. {@code --bundle-layout}
     * @param message what is wrong and what to write instead
     */
    public InvalidSettingException(String setting, String message) {
        super(Kind.CONFIGURATION, message);
        this.setting = setting;
    }

    /** As {@link #InvalidSettingException(String, String)}, with what the setting led to when it was tried. */
    public InvalidSettingException(String setting, String message, Throwable cause) {
        super(Kind.CONFIGURATION, message, cause);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
