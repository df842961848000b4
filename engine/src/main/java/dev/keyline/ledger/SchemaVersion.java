package dev.keyline.ledger;

import java.util.Optional;

/**
 * The version of a ledger's schema, as found when it was opened, beside the newest this Keyline knows.
 *
 * @param ledger 0 for a ledger made before numbered migrations (or an empty database)
 */
public record SchemaVersion(int ledger, int known) {

    /** Whether the ledger is older than this code: only when it was opened read-only, which is not migrated. */
    public boolean isBehind() {
        return ledger < known;
    }

    /** What to tell the person reading a ledger that is behind; empty when it is up to date. */
    public Optional<String> behind() {
        if (!isBehind()) {
            return Optional.empty();
        }
        String found = ledger == 0 ? "from before numbered schema versions" : "at schema version " + ledger;
        return Optional.of("the ledger was written by an earlier Keyline (" + found + "; this Keyline's is " + known
                + ") and was opened read-only, so it is shown as it is: what it lacks is left out. The next run, restart"
                + " or register on this output brings it up to date.");
    }
}
