package dev.keyline.error;

import java.util.List;

/** A setting whose value is none of the values it accepts; the message lists them. */
public class UnknownChoiceException extends InvalidSettingException {

    private static final long serialVersionUID = 1L;

    private final String value;
    private final List<String> accepted;

    /**
     * @param setting  what is being chosen, as the user knows it: {@code crypto provider}, {@code key algorithm}
     * @param value    the value given (may be null)
     * @param accepted the values it takes
     */
    public UnknownChoiceException(String setting, String value, List<String> accepted) {
        super(setting, "unknown " + setting + " \"" + value + "\": use one of " + String.join(", ", accepted));
        this.value = value;
        this.accepted = List.copyOf(accepted);
    }

    /** The value that was given (may be null). */
    public String value() {
        return value;
    }

    public List<String> accepted() {
        return accepted;
    }
}
