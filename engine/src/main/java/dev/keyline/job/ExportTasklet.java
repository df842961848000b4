package dev.keyline.job;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.keyline.bundle.KillPoint;
import dev.keyline.output.OutputExporter;

/** The last step: the output manifest, SHA256SUMS and rejects.csv, written from the ledger. */
public final class ExportTasklet implements Tasklet {

    private final OutputExporter exporter;
    private final String outputId;
    private final boolean rejects;

    /** @param rejects whether to write rejects.csv (the issuing job's); the register job leaves it as it is */
    public ExportTasklet(OutputExporter exporter, String outputId, boolean rejects) {
        this.exporter = exporter;
        this.outputId = outputId;
        this.rejects = rejects;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long jobInstanceId = chunkContext.getStepContext().getStepExecution().getJobExecution().getJobInstance()
                .getInstanceId();
        exporter.exportIssued(outputId);
        if (rejects) {
            exporter.exportRejected(jobInstanceId);
        }
        KillPoint.reach(KillPoint.EXPORT_WRITTEN);
        return RepeatStatus.FINISHED;
    }
}
