package dev.keyline.job;

import java.nio.file.Path;
import java.util.HashMap;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import dev.keyline.bundle.KillPoint;
import dev.keyline.device.ManifestException;
import dev.keyline.device.ManifestFormat;
import dev.keyline.device.ManifestScan;

/**
 * The first step: counts the manifest's rows and finds repeated device ids, once per run. The result lives in
 * the job's ExecutionContext, so partitions and restarts see the same split and the same duplicates.
 */
public final class ScanTasklet implements Tasklet {

    private final Path manifest;
    private final ManifestFormat format;
    private final String sha256;
    private final ProvisionProgress progress;

    /** @param sha256 the manifest's SHA-256 when the run was asked for: the file must still be that one */
    public ScanTasklet(Path manifest, ManifestFormat format, String sha256, ProvisionProgress progress) {
        this.manifest = manifest;
        this.format = format;
        this.sha256 = sha256;
        this.progress = progress;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ManifestScan scan = ManifestScan.of(manifest, format);
        if (!scan.sha256().equals(sha256)) {
            // The rows counted now would not be the rows the run's identity names; partitions and restarts rest on them.
            throw new ManifestException(manifest, "the file changed after the run was started (its SHA-256 differs): is "
                    + "something still writing it? Wait until it is complete, then run it again");
        }
        ExecutionContext job = chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
        job.putLong(JobParameterNames.ROWS, scan.rows());
        job.put(JobParameterNames.DUPLICATES, new HashMap<>(scan.duplicates()));
        progress.total(scan.rows());
        KillPoint.reach(KillPoint.SCAN_DONE);
        return RepeatStatus.FINISHED;
    }
}
