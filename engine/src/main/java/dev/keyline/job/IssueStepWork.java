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
    private final ExecutionKits kits;
    private final long executionId;

    /**
     * @param kit  the execution's kit, leased from {@code kits} by the caller and given back when this closes
     * @param lint checks every device before signing (template, --cn-to-san); empty: none
     */
    public IssueStepWork(RunIdentity run, ExecutionKits kits, ExecutionKit kit, ManifestScan scan, Ledger ledger,
                         Optional<DeviceLinter> lint) {
        this.kits = kits;
        this.executionId = run.jobExecutionId();
        BundleWriter writer = null;
        try {
            writer = kit.kit().bundleOptions().layout().open(kit.kit().bundleOptions());
            this.provisioner = new DeviceProvisioner(run, kit.kit(), kit.issuer(), scan, ledger, writer,
                    Clock.systemUTC(), lint, kit.csrKeys());
            this.bundles = writer;
        } catch (IOException e) {
            kits.release(executionId);
            throw new UncheckedIOException("cannot prepare the bundle folder: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            kits.release(executionId);
            closeQuietly(writer, e);
            throw e;
        }
    }

    private static void closeQuietly(BundleWriter writer, RuntimeException failure) {
        if (writer != null) {
            try {
                writer.close();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }
    }

    public DeviceProvisioner provisioner() {
        return provisioner;
    }

    @Override
    public void close() {
        try (AutoCloseable lease = () -> kits.release(executionId)) {
            bundles.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
