package dev.keyline.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;

import dev.keyline.bundle.BundleWriter;
import dev.keyline.device.ManifestScan;
import dev.keyline.ledger.Ledger;
import dev.keyline.lint.DeviceLinter;

/**
 * What one partition's step execution works with: its own bundle writer and provisioner, shared by that
 * partition's processor and writer, closed when the step ends.
 */
// Not final: step-scoped beans are class-based proxies.
public class IssueStepWork implements AutoCloseable {

    private final BundleWriter bundles;
    private final DeviceProvisioner provisioner;

    public IssueStepWork(RunIdentity run, KitHolder kits, ManifestScan scan, Ledger ledger) {
        this(run, kits, scan, ledger, Optional.empty());
    }

    /** @param lint checks every device before signing (template, --cn-to-san); empty: none */
    public IssueStepWork(RunIdentity run, KitHolder kits, ManifestScan scan, Ledger ledger, Optional<DeviceLinter> lint) {
        IssuanceKit kit = kits.kit();
        try {
            this.bundles = kit.bundleOptions().layout().open(kit.bundleOptions());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the bundle folder: " + e.getMessage(), e);
        }
        this.provisioner = new DeviceProvisioner(run, kit, kits.issuer(), scan, ledger, bundles, Clock.systemUTC(),
                lint, kits.csrKeys());
    }

    public DeviceProvisioner provisioner() {
        return provisioner;
    }

    @Override
    public void close() {
        try {
            bundles.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
