package dev.keyline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keyline.ca.CertificateAuthority;
import dev.keyline.error.KeylineException;
import dev.keyline.job.RunPlan.AlreadyCompleted;
import dev.keyline.job.RunPlan.Resume;
import dev.keyline.job.RunPlan.Start;
import dev.keyline.testing.CliCa;
import dev.keyline.testing.Manifests;
import dev.keyline.testing.RunRequests;

/**
 * The run policy, asked directly as the command line and the remote manager ask it: what a run or a restart does with
 * an output, and what it refuses before any key is made.
 */
class RunsTest {

    private static final int DEVICES = 200;

    @TempDir
    Path dir;
    CliCa ca;
    Path manifest;
    Path out;
    /** Signatures the CA may make before its signer fails, as a token pulled out mid-run does. */
    final AtomicInteger signatures = new AtomicInteger(Integer.MAX_VALUE);
    Runs runs;

    @BeforeEach
    void caAndManifest() throws IOException {
        ca = CliCa.create(dir);
        manifest = Manifests.devices(dir, DEVICES);
        out = dir.resolve("out");
        runs = new Runs(flaky(kits(ca)));
    }

    @Test
    void aNewRunStartsInTheOutputsOwnIdAndOnceCompletedHasNothingToDo() throws Exception {
        long instance;
        try (PlannedRun<RunPlan> run = runs.run(draft().build(), Optional.empty(), false)) {
            Start start = (Start) run.plan();
            try (OutputFolder folder = OutputFolder.existing(out)) {
                assertThat(start.request().outputId()).isNotEqualTo(draft().build().outputId())
                        .isEqualTo(folder.outputId());
            }
            assertThat(start.spaceWarning()).as("a tmp folder holds 200 devices").isEmpty();
            RunState done = run.provisioning().start(start.request());
            assertThat(done.completed()).isTrue();
            instance = done.instanceId();
        }

        try (PlannedRun<RunPlan> again = runs.run(draft().build(), Optional.empty(), false)) {
            assertThat(again.plan()).isInstanceOfSatisfying(AlreadyCompleted.class,
                    done -> assertThat(done.run().instanceId()).isEqualTo(instance));
        }
    }

    @Test
    void runningTheSameFileAgainResumesTheUnfinishedRunWithTheSettingsItStartedWith() throws Exception {
        RunState failed = failedRun();
        CliCa otherCa = CliCa.create(Files.createDirectories(dir.resolve("other")));
        RunRequest now = RunRequests.twoPartitions(manifest, out, otherCa.folder()).chunkSize(50).build();

        try (PlannedRun<RunPlan> run = runs.run(now, Optional.empty(), false)) {
            Resume resume = (Resume) run.plan();
            assertThat(resume.previous().executionId()).isEqualTo(failed.executionId());
            assertThat(resume.request().chunkSize()).isEqualTo(25);
            assertThat(resume.request().ca()).as("the run's CA, so the output's").isEqualTo(ca.folder());
            assertThat(run.provisioning().restart(failed.executionId()).completed()).isTrue();
            assertThat(run.provisioning().ledger().identities().countIssuedBy(failed.instanceId())).isEqualTo(DEVICES);
        }
    }

    @Test
    void aChangedFileOfAnUnfinishedRunIsRefusedUnlessANewRunIsAskedFor() throws Exception {
        RunState failed = failedRun();
        Files.writeString(manifest, "dev-extra,Acme,US\n", StandardOpenOption.APPEND);

        assertThatThrownBy(() -> runs.run(draft().build(), Optional.empty(), false).close())
                .isInstanceOf(ManifestChangedException.class)
                .hasMessageContaining("changed since run " + failed.executionId() + " started")
                .hasMessageContaining("keyline restart --out " + out).hasMessageContaining("--new-run")
                .satisfies(e -> assertThat(((KeylineException) e).kind()).isEqualTo(KeylineException.Kind.CONFIGURATION));

        try (PlannedRun<RunPlan> run = runs.run(draft().build(), Optional.empty(), true)) {
            assertThat(run.plan()).as("the refusal let go of the output").isInstanceOf(Start.class);
        }
    }

    @Test
    void aRestartResumesTheChosenOrTheNewestRestartableExecutionWithItsOwnSettings() throws Exception {
        RunState failed = failedRun();

        try (PlannedRun<Resume> chosen = runs.restart(out, Optional.empty(), OptionalLong.of(failed.executionId()))) {
            assertThat(chosen.plan().previous().executionId()).isEqualTo(failed.executionId());
            assertThat(chosen.plan().request().chunkSize()).isEqualTo(25);
        }
        assertThatThrownBy(() -> runs.restart(out, Optional.empty(), OptionalLong.of(999)))
                .isInstanceOf(NotRestartableException.class).hasMessageContaining("no execution 999 in " + out);

        RunState resumed;
        try (PlannedRun<Resume> newest = runs.restart(out, Optional.empty(), OptionalLong.empty())) {
            assertThat(newest.plan().previous().executionId()).isEqualTo(failed.executionId());
            resumed = newest.provisioning().restart(failed.executionId());
            assertThat(resumed.completed()).isTrue();
        }
        assertThatThrownBy(() -> runs.restart(out, Optional.empty(), OptionalLong.of(resumed.executionId())))
                .isInstanceOf(NotRestartableException.class).hasMessageContaining("cannot be restarted: it completed");
        assertThatThrownBy(() -> runs.restart(out, Optional.empty(), OptionalLong.empty()))
                .isInstanceOf(NotRestartableException.class).hasMessageContaining("nothing to restart in " + out);
    }

    @Test
    void aRestartIsRefusedWhenTheRunsManifestChangedOrIsGone() throws Exception {
        RunState failed = failedRun();
        String original = Files.readString(manifest);

        Files.writeString(manifest, original.replace("dev-7,", "dev-seven,"));
        assertThatThrownBy(() -> runs.restart(out, Optional.empty(), OptionalLong.empty()))
                .isInstanceOf(ManifestChangedException.class)
                .hasMessageContaining("changed since run " + failed.executionId() + " started");

        Files.delete(manifest);
        assertThatThrownBy(() -> runs.restart(out, Optional.empty(), OptionalLong.empty()))
                .isInstanceOf(ManifestGoneException.class).hasMessageContaining(manifest + " is gone");

        Files.writeString(manifest, original);
        try (PlannedRun<Resume> restored = runs.restart(out, Optional.empty(), OptionalLong.empty())) {
            assertThat(restored.provisioning().restart(failed.executionId()).completed()).isTrue();
        }
    }

    @Test
    void anOutputOfAnotherCaIsRefusedNamingBoth() throws Exception {
        try (PlannedRun<RunPlan> run = runs.run(draft().build(), Optional.empty(), false)) {
            assertThat(run.provisioning().start(((Start) run.plan()).request()).completed()).isTrue();
        }
        CliCa otherCa = CliCa.create(Files.createDirectories(dir.resolve("other")));
        Path more = Manifests.devices(dir, "more", 3);
        RunRequest another = RunRequests.twoPartitions(more, out, otherCa.folder()).build();

        assertThatThrownBy(() -> new Runs(kits(otherCa)).run(another, Optional.empty(), false))
                .isInstanceOf(OutputCaMismatchException.class)
                .hasMessageContaining(OutputCa.read(ca.folder()).orElseThrow().sha256())
                .hasMessageContaining(OutputCa.read(otherCa.folder()).orElseThrow().sha256())
                .hasMessageContaining("use another --out");
    }

    /** A run of the manifest whose CA's signer fails part-way: unfinished, with committed devices to keep. */
    private RunState failedRun() {
        signatures.set(60);
        try (PlannedRun<RunPlan> run = runs.run(draft().build(), Optional.empty(), false)) {
            RunState failed = run.provisioning().start(((Start) run.plan()).request());
            assertThat(failed.completed()).isFalse();
            assertThat(run.provisioning().committed(failed.instanceId()).total()).isBetween(1L, DEVICES - 1L);
            return failed;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            signatures.set(Integer.MAX_VALUE);
        }
    }

    private RunRequest.Builder draft() {
        return RunRequests.twoPartitions(manifest, out, ca.folder()).chunkSize(25);
    }

    /** The product's kits with the CA's passphrase file; every {@link CliCa} has the same passphrase. */
    private static KitOpener kits(CliCa ca) {
        return new IssuanceKits(new RunSecrets(Optional.of(ca.passphraseFile()), Optional.empty(), Optional.empty(),
                Map.of()));
    }

    /** The product's kit, its CA signing through {@link FailingSigner} with the budget in {@link #signatures}. */
    private KitOpener flaky(KitOpener kits) {
        return request -> {
            IssuanceKit kit = kits.open(request);
            CertificateAuthority real = kit.ca();
            return new IssuanceKit(new CertificateAuthority(real.certificate(), real.chain(),
                    new FailingSigner(real.signer(), signatures)), kit.profile(), kit.keySource(), kit.bundleOptions(),
                    kit.defaultKey(), kit.opened());
        };
    }
}
