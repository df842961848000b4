package dev.keyline.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Writes {@code report.html} into the output at the end of every execution of both jobs, completed, failed or stopped:
 * Spring Batch calls {@link #afterJob} once the execution's end is in the JobRepository, so the page is built from what
 * is stored, exactly as {@code keyline report} rebuilds it. A report that cannot be written is logged, never a failure
 * of the run. At the start it keeps the process's command line in the execution's context for the page.
 */
final class ReportListener implements JobExecutionListener {

    static final String COMMAND = "keyline.command";
    private static final Logger log = LoggerFactory.getLogger(ReportListener.class);

    private final RunReports reports;

    ReportListener(RunReports reports) {
        this.reports = reports;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        ProcessCommand.get().ifPresent(c -> execution.getExecutionContext().putString(COMMAND, c));
    }

    @Override
    public void afterJob(JobExecution execution) {
        try {
            long started = System.nanoTime();
            reports.write(execution.getId());
            log.info("wrote the run report in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            log.warn("could not write the run report of execution {}: {}", execution.getId(), e.toString());
        }
    }
}
