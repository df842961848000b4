package dev.keyline.keys;

import java.util.List;

import dev.keyline.error.UnknownChoiceException;

/**
 * A key algorithm id that Keyline does not know; the message lists the valid ids. A configuration error when it
 * comes from {@code --key} or a profile; a manifest row's {@code key} turns it into a rejection of that row.
 */
public final class UnknownKeyAlgorithmException extends UnknownChoiceException {

    private static final long serialVersionUID = 1L;

    UnknownKeyAlgorithmException(String value, List<String> validIds) {
        super("key algorithm", value, validIds);
    }
}
