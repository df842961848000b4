package dev.keyline.job;

import dev.keyline.error.KeylineException;
import dev.keyline.text.Counted;

/** More rows were rejected than {@code --skip-limit} allows: the run stops, and says where the rejects are. */
public class SkipLimitExceededException extends KeylineException {

    public SkipLimitExceededException(long rejected, long limit) {
        super(Kind.FAILURE, Counted.of(rejected, "row") + " rejected, more than --skip-limit " + limit
                + " allows; the run stopped. Fix the rows listed in rejects.csv, or raise --skip-limit, then restart");
    }
}
