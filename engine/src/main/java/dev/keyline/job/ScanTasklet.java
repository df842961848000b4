package dev.keyline.job;

import java.nio.file.Path;
import java.util.HashMap;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.keyline.device.ManifestFormat;
import dev.keyline.device.ManifestScan;

/**
 * The first step: counts the manifest's rows and finds repeated device ids, once per run. The result lives in
 * the job's ExecutionContext, so partitions and restarts see the same split and the same duplicates.
 */
public final class ScanTasklet implements Tasklet {

    private final Path manifest;
    private final ManifestFormat format;
    private final ProvisionProgress progress;

    public ScanTasklet(Path manifest, ManifestFormat format, ProvisionProgress progress) {
        this.manifest = manifest;
        this.format = format;
        this.progress = progress;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ManifestScan scan = ManifestScan.of(manifest, format);
        ExecutionContext job = chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
        job.putLong(JobParameterNames.ROWS, scan.rows());
        job.put(JobParameterNames.DUPLICATES, new HashMap<>(scan.duplicates()));
        progress.total(scan.rows());
        return RepeatStatus.FINISHED;
    }
}
