package dev.keyline.job;

import dev.keyline.ledger.LedgerEntry;
import dev.keyline.ledger.Rejection;

/** What became of one manifest row: issued, or rejected with a reason. */
public sealed interface IssueOutcome {

    record Issued(LedgerEntry entry) implements IssueOutcome {
    }

    record Rejected(Rejection rejection) implements IssueOutcome {
    }
}
