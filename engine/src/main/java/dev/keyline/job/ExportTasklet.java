package dev.keyline.job;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.keyline.output.OutputExporter;

/** The last step: the output manifest, SHA256SUMS and rejects.csv, written from the ledger. */
public final class ExportTasklet implements Tasklet {

    private final OutputExporter exporter;
    private final String outputId;

    public ExportTasklet(OutputExporter exporter, String outputId) {
        this.exporter = exporter;
        this.outputId = outputId;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long jobInstanceId = chunkContext.getStepContext().getStepExecution().getJobExecution().getJobInstance()
                .getInstanceId();
        exporter.exportIssued(outputId);
        exporter.exportRejected(jobInstanceId);
        return RepeatStatus.FINISHED;
    }
}
