package dev.keyline.ledger;

import dev.keyline.error.KeylineException;

/**
 * The ledger was brought to a schema version this Keyline does not know: a newer Keyline wrote it. Nothing reads or
 * writes it, since this code cannot tell what the newer tables mean.
 */
public final class LedgerSchemaException extends KeylineException {

    private static final long serialVersionUID = 1L;

    private final int ledgerVersion;
    private final int knownVersion;

    LedgerSchemaException(int ledgerVersion, int knownVersion) {
        super(Kind.CONFIGURATION, "the ledger is at schema version " + ledgerVersion + ", newer than this Keyline knows"
                + " (up to version " + knownVersion + "): a newer Keyline wrote it. Use that Keyline (or a later one) with"
                + " this output; nothing was read or changed.");
        this.ledgerVersion = ledgerVersion;
        this.knownVersion = knownVersion;
    }

    public int ledgerVersion() {
        return ledgerVersion;
    }

    public int knownVersion() {
        return knownVersion;
    }
}
