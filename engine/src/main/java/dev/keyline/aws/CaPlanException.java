package dev.keyline.aws;

import java.util.List;

import dev.keyline.error.KeylineException;

/**
 * The CA registration plan cannot be carried out as configured (DEFAULT twice in a region, one account asked for two
 * modes or two templates). A configuration error: nothing has been sent when it is thrown.
 */
public final class CaPlanException extends KeylineException {

    private static final long serialVersionUID = 1L;

    private final List<String> conflicts;

    public CaPlanException(List<String> conflicts) {
        super(Kind.CONFIGURATION, "the CA registration plan is refused: " + String.join("; ", conflicts));
        this.conflicts = List.copyOf(conflicts);
    }

    /** Each conflict, one sentence naming the region, accounts, targets and the fix. */
    public List<String> conflicts() {
        return conflicts;
    }
}
