package dev.keyline.job;

import dev.keyline.text.Counted;

/** More rows were rejected than {@code --skip-limit} allows: the run stops, and says where the rejects are. */
public class SkipLimitExceededException extends RuntimeException {

    public SkipLimitExceededException(long rejected, long limit) {
        super(Counted.of(rejected, "row") + " rejected, more than --skip-limit " + limit
                + " allows; the run stopped. Fix the rows listed in rejects.csv, or raise --skip-limit, then restart");
    }
}
