package dev.keyline.job;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Writes {@code report.html} into the output at the end of every execution of both jobs, completed, failed or stopped:
 * Spring Batch calls {@link #afterJob} once the execution's end is in the JobRepository, so the page is built from what
 * is stored, exactly as {@code keyline report} rebuilds it. A report that cannot be written is logged, never a failure
 * of the run. At the start it keeps the process's command line in the execution's context for the page.
 */
final class ReportListener implements JobExecutionListener {

    static final String COMMAND = "keyline.command";
    static final String FAILURE = "keyline.failure";
    private static final Logger log = LoggerFactory.getLogger(ReportListener.class);

    private final RunReports reports;
    private final JobRepository repository;

    ReportListener(RunReports reports, JobRepository repository) {
        this.reports = reports;
        this.repository = repository;
    }

    @Override
    public void beforeJob(JobExecution execution) {
        ProcessCommand.get().ifPresent(c -> execution.getExecutionContext().putString(COMMAND, c));
    }

    @Override
    public void afterJob(JobExecution execution) {
        try {
            List<Throwable> failures = failuresOf(execution);
            if (!failures.isEmpty()) {
                // The stored exit descriptions are cut stack traces: keep the readable message for a rebuilt report too.
                execution.getExecutionContext().putString(FAILURE, RunReports.describe(failures));
                repository.updateExecutionContext(execution);
            }
            reports.write(execution.getId());
        } catch (RuntimeException e) {
            log.warn("could not write the run report of execution {}: {}", execution.getId(), e.toString());
        }
    }

    /** The partitions' failures first: the manager step's own only says a partition failed. */
    private static List<Throwable> failuresOf(JobExecution execution) {
        List<Throwable> partitions = new ArrayList<>();
        List<Throwable> others = new ArrayList<>();
        for (StepExecution step : execution.getStepExecutions()) {
            (step.getStepName().startsWith(JobParameterNames.ISSUE_WORKER + ":") ? partitions : others)
                    .addAll(step.getFailureExceptions());
        }
        others.addAll(execution.getFailureExceptions());
        partitions.addAll(others);
        return partitions;
    }
}
