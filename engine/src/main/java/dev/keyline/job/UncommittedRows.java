package dev.keyline.job;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

import dev.keyline.ledger.Ledger;

/**
 * Before a run resumes: ledger rows of a partition past the position its step committed. Each chunk commits its rows
 * and its reader's position in one transaction, so a consistent ledger has none; a database that kept part of a
 * chunk across a crash would leave some, and the resumed partition would then read those rows again and fail on the
 * duplicate identity, on every restart. Their chunk never committed as far as Spring Batch knows: its bundles were
 * never counted (an archive is cleared as unrecorded, a folder is overwritten), and the register step, which runs
 * after every partition ended, never saw them. So they are removed, said in the log and on the console, and issued
 * again by the partition that resumes.
 */
final class UncommittedRows {

    private static final Logger log = LoggerFactory.getLogger(UncommittedRows.class);

    /** What a partition left past its position. */
    record Stray(String partition, long position, long end, long rows) {
    }

    private UncommittedRows() {
    }

    /** Removes, for each partition of the execution, the run's rows from its saved position to its end. */
    static List<Stray> remove(JobExecution execution, Ledger ledger) {
        List<Stray> found = new ArrayList<>();
        for (StepExecution step : execution.getStepExecutions()) {
            if (!step.getStepName().startsWith(JobParameterNames.ISSUE_WORKER + ":")) {
                continue;
            }
            ExecutionContext context = step.getExecutionContext();
            if (!context.containsKey(RangePartitioner.FIRST) || !context.containsKey(RangePartitioner.END)) {
                continue;
            }
            long end = context.getLong(RangePartitioner.END);
            long position = context.containsKey(ManifestRangeReader.POSITION)
                    ? context.getLong(ManifestRangeReader.POSITION) : context.getLong(RangePartitioner.FIRST);
            if (position >= end) {
                continue;
            }
            long removed = ledger.removeUncommitted(execution.getJobInstanceId(), position, end);
            if (removed > 0) {
                Stray stray = new Stray(step.getStepName(), position, end, removed);
                log.warn("{}: the ledger held {} rows past the partition's committed position {} (up to {}), left by a "
                        + "chunk that never committed; removed, to be issued again", stray.partition(), removed, position,
                        end);
                found.add(stray);
            }
        }
        return found;
    }
}
