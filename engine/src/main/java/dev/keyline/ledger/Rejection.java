package dev.keyline.ledger;

import java.time.Instant;

/**
 * A manifest row that was not issued, with the reason a person can act on and a short code for grouping
 * ({@code DUPLICATE_DEVICE}, {@code INVALID_ROW}, ...).
 */
public record Rejection(String outputId, long jobInstanceId, long rowIndex, long sourceLine, String deviceId,
                        String reason, Instant rejectedAt, String code) {

    /** The code of a row rejected before the ledger kept codes. */
    public static final String UNRECORDED = "UNRECORDED";

    public Rejection(String outputId, long jobInstanceId, long rowIndex, long sourceLine, String deviceId, String reason,
                     Instant rejectedAt) {
        this(outputId, jobInstanceId, rowIndex, sourceLine, deviceId, reason, rejectedAt, UNRECORDED);
    }
}
