package dev.keyline.job;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import dev.keyline.device.ManifestRecord;

/** Spring Batch's face of {@link DeviceProvisioner}: null (filtered) for a device this run already committed. */
// Not final: step-scoped beans are class-based proxies.
public class IssueItemProcessor implements ItemProcessor<ManifestRecord, IssueOutcome> {

    private final DeviceProvisioner provisioner;
    private final ProvisionProgress progress;

    public IssueItemProcessor(DeviceProvisioner provisioner, ProvisionProgress progress) {
        this.provisioner = provisioner;
        this.progress = progress;
    }

    @Override
    public IssueOutcome process(ManifestRecord record) {
        IssueOutcome outcome = provisioner.provision(record).orElse(null);
        if (outcome == null) {
            progress.alreadyIssued(1);
        }
        return outcome;
    }
}
