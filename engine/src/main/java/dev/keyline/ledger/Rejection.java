package dev.keyline.ledger;

import java.time.Instant;

/** A manifest row that was not issued, with the reason a person can act on. */
public record Rejection(String outputId, long jobInstanceId, long rowIndex, long sourceLine, String deviceId,
                        String reason, Instant rejectedAt) {
}
