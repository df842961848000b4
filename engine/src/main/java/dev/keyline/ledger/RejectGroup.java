package dev.keyline.ledger;

import java.util.List;

/**
 * The rejections of a run with one reason code: how many, and the first few (by manifest row).
 *
 * @param code the code, or {@link Rejection#UNRECORDED} for rows rejected before codes were kept
 */
public record RejectGroup(String code, long rows, List<Rejection> first) {

    public RejectGroup {
        first = List.copyOf(first);
    }
}
